//! What makes Terrain work offline and installable: the service worker (`/sw.js`, generated
//! for the current bundle so that a new build replaces the cached shell), the web app manifest,
//! the icon, and the page shown for a page never opened online.

use axum::{
    Router,
    response::{Html, IntoResponse},
    routing::get,
};
use http::{HeaderValue, header};

const WORKER: &str = include_str!("offline.js");

/// The brand mark, also the installed app's icon.
pub const ICON: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#b4572e"/><stop offset=".6" stop-color="#d98b4a"/><stop offset="1" stop-color="#2f6b4f"/></linearGradient></defs><rect width="512" height="512" rx="96" fill="#fbfaf7"/><path d="M256 48a208 208 0 1 1 0 416H112a64 64 0 0 1-64-64V256A208 208 0 0 1 256 48z" fill="url(#g)"/></svg>"##;

const MANIFEST: &str = r##"{
  "name": "Terrain — coaching territorial",
  "short_name": "Terrain",
  "description": "Diagnostic partagé, plans d'action et suivi, en ligne ou non.",
  "start_url": "/territories",
  "scope": "/",
  "display": "standalone",
  "background_color": "#fbfaf7",
  "theme_color": "#b4572e",
  "lang": "fr",
  "dir": "auto",
  "icons": [
    { "src": "/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any" },
    { "src": "/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "maskable" }
  ]
}
"##;

/// A page never opened while online: said in the three languages, since no locale is known.
const OFFLINE_PAGE: &str = r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Terrain — hors ligne</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.6;color:#1d2a2f;background:#fbfaf7}h1{font-size:1.4rem}p[dir=rtl]{font-family:system-ui,"Noto Sans Arabic",sans-serif}a{color:#b4572e}</style></head><body><h1>Hors ligne · غير متصل · Offline</h1><p>Cette page n'a pas été ouverte sur cet appareil avant la coupure. Les documents déjà ouverts restent disponibles : <a href="/territories">Mes territoires</a>.</p><p dir="rtl" lang="ar">لم تُفتح هذه الصفحة على هذا الجهاز قبل انقطاع الاتصال. تبقى الوثائق التي فُتحت سابقًا متاحة.</p><p lang="en">This page was not opened on this device before the connection dropped. Documents opened before are still available.</p></body></html>"#;

/// The routes; `shell` lists the bundle's files, cached when the worker installs.
pub fn routes<S: Clone + Send + Sync + 'static>(assets: &app::Assets) -> Router<S> {
    let mut shell: Vec<String> = [&assets.js, &assets.wasm, &assets.css]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    shell.extend([
        "/icon.svg".to_owned(),
        "/manifest.webmanifest".to_owned(),
        "/offline".to_owned(),
    ]);
    let version = format!(
        "terrain-shell-{}",
        assets
            .js
            .as_deref()
            .unwrap_or("dev")
            .replace(['/', '.'], "-")
    );
    let worker = WORKER
        .replace("__VERSION__", &version)
        .replace("__SHELL__", &serde_json::Value::from(shell).to_string());
    Router::new()
        .route(
            "/sw.js",
            get(move || {
                let worker = worker.clone();
                async move {
                    (
                        [
                            (
                                header::CONTENT_TYPE,
                                HeaderValue::from_static("text/javascript; charset=utf-8"),
                            ),
                            // Browsers check for a new worker on navigation; never serve a stale one.
                            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                        ],
                        worker,
                    )
                }
            }),
        )
        .route(
            "/manifest.webmanifest",
            get(|| async {
                (
                    [(
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/manifest+json"),
                    )],
                    MANIFEST,
                )
            }),
        )
        .route(
            "/icon.svg",
            get(|| async {
                (
                    [
                        (
                            header::CONTENT_TYPE,
                            HeaderValue::from_static("image/svg+xml"),
                        ),
                        (
                            header::CACHE_CONTROL,
                            HeaderValue::from_static("public, max-age=86400"),
                        ),
                    ],
                    ICON,
                )
            }),
        )
        .route(
            "/offline",
            get(|| async { Html(OFFLINE_PAGE).into_response() }),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_lists_the_bundle() {
        let assets = app::Assets {
            js: Some("/pkg/terrain.abc.js".into()),
            wasm: Some("/pkg/terrain_bg.abc.wasm".into()),
            css: Some("/pkg/terrain.abc.css".into()),
        };
        let _router: Router<()> = routes(&assets);
        let manifest: serde_json::Value = serde_json::from_str(MANIFEST).unwrap();
        assert_eq!(manifest["start_url"], "/territories");
        assert!(WORKER.contains("__SHELL__") && WORKER.contains("__VERSION__"));
    }
}
