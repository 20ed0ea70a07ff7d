//! The shell, health, metrics and the bundle, served by the real server on port 0, against
//! every configured database.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

use terrain_tests::{Options, TestServer, databases};

async fn page(server: &TestServer, path: &str, lang: Option<&str>) -> (u16, String) {
    let mut req = server.client().get(server.url(path));
    if let Some(lang) = lang {
        req = req.header("accept-language", lang);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn health_and_metrics() {
    for db in databases() {
        let server = TestServer::start(&db).await;
        let client = server.client();
        let res = client.get(server.url("/healthz")).send().await.unwrap();
        assert_eq!(res.status(), 200, "{db:?}");
        assert_eq!(res.text().await.unwrap(), "ok\n");

        let _ = client.get(server.url("/")).send().await.unwrap();
        let res = client.get(server.url("/metrics")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain; version=0.0.4")
        );
        let text = res.text().await.unwrap();
        assert!(text.contains("terrain_database_up 1"), "{text}");
        assert!(
            text.contains(
                "terrain_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "terrain_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 1"
            ),
            "{text}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn home_page_is_french_by_default_and_follows_the_browser_language() {
    for db in databases() {
        let server = TestServer::start(&db).await;

        let (status, html) = page(&server, "/", None).await;
        assert_eq!(status, 200);
        assert!(html.contains("lang=\"fr\""), "{html}");
        assert!(html.contains("dir=\"ltr\""), "{html}");
        assert!(html.contains("Les cinq étapes du coaching territorial"));
        assert!(html.contains("Diagnostic partagé"));
        assert!(html.contains("Suivi et évaluation"));

        let (_, html) = page(&server, "/", Some("ar-MA,ar;q=0.9")).await;
        assert!(html.contains("lang=\"ar\""), "{html}");
        assert!(html.contains("dir=\"rtl\""), "{html}");
        assert!(html.contains("المراحل الخمس للمواكبة الترابية"));

        let (_, html) = page(&server, "/", Some("en-GB,en;q=0.8")).await;
        assert!(html.contains("lang=\"en\""));
        assert!(html.contains("The five steps of territorial coaching"));
        server.stop().await;
    }
}

#[tokio::test]
async fn the_language_cookie_wins_over_the_browser_language() {
    let server = TestServer::start(&databases()[0]).await;
    let res = server
        .client()
        .get(server.url("/"))
        .header("accept-language", "en")
        .header("cookie", "i18n_pref_locale=ar")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("dir=\"rtl\""), "{html}");
    server.stop().await;
}

#[tokio::test]
async fn unknown_routes_get_a_translated_404_page() {
    for db in databases() {
        let server = TestServer::start(&db).await;
        let (status, html) = page(&server, "/no/such/page", None).await;
        assert_eq!(status, 404);
        assert!(html.contains("Page introuvable"), "{html}");
        let (status, html) = page(&server, "/nowhere", Some("ar")).await;
        assert_eq!(status, 404);
        assert!(html.contains("الصفحة غير موجودة"), "{html}");
        server.stop().await;
    }
}

/// A bundle laid out as `.ci/pack-assets.mjs` writes it.
fn fake_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        dir.path().join("assets.json"),
        r#"{"js":"terrain.0123456789abcdef.js","wasm":"terrain_bg.0123456789abcdef.wasm","css":"terrain.fedcba9876543210.css"}"#,
    )
    .unwrap();
    std::fs::write(pkg.join("terrain.0123456789abcdef.js"), "export default 1;").unwrap();
    std::fs::write(pkg.join("terrain.0123456789abcdef.js.br"), "BROTLI").unwrap();
    std::fs::write(pkg.join("terrain.0123456789abcdef.js.gz"), "GZIP").unwrap();
    std::fs::write(pkg.join("terrain.fedcba9876543210.css"), "body{}").unwrap();
    dir
}

#[tokio::test]
async fn the_bundle_is_linked_by_hashed_name_and_served_precompressed_with_long_caching() {
    let site = fake_site();
    let server = TestServer::start_with(
        &databases()[0],
        Options {
            site_root: Some(site.path().to_path_buf()),
            ..Options::default()
        },
    )
    .await;
    let (_, html) = page(&server, "/", None).await;
    assert!(
        html.contains("href=\"/pkg/terrain.fedcba9876543210.css\""),
        "{html}"
    );
    assert!(html.contains("rel=\"modulepreload\" href=\"/pkg/terrain.0123456789abcdef.js\""));
    assert!(html.contains("\"/pkg/terrain_bg.0123456789abcdef.wasm\""));

    let client = reqwest::Client::new();
    let url = server.url("/pkg/terrain.0123456789abcdef.js");
    let res = client
        .get(&url)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.bytes().await.unwrap(), "BROTLI");

    let res = client
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");

    let res = client.get(&url).send().await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.bytes().await.unwrap(), "export default 1;");

    let res = client
        .get(server.url("/pkg/missing.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    server.stop().await;
}

#[tokio::test]
async fn without_a_bundle_pages_still_render() {
    let server = TestServer::start(&databases()[0]).await;
    let (status, html) = page(&server, "/", None).await;
    assert_eq!(status, 200);
    assert!(!html.contains("modulepreload"));
    server.stop().await;
}
