//! The built browser bundle: `site_root/assets.json` names the content-hashed files in
//! `site_root/pkg/`, each with `.br` and `.gz` siblings. They are served precompressed with a
//! one-year immutable cache, since a new build gets new names.

use axum::Router;
use http::{HeaderValue, header};
use serde::Deserialize;
use std::path::Path;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

/// `assets.json`, as written by the bundle packer.
#[derive(Debug, Deserialize)]
struct Manifest {
    js: String,
    wasm: String,
    css: String,
}

/// Reads the manifest; a missing or unreadable one means "no bundle" (pages still render, with
/// neither style nor interactivity), which is logged once at start-up.
pub fn load(site_root: &Path) -> app::Assets {
    let path = site_root.join("assets.json");
    let manifest = std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str::<Manifest>(&text).map_err(|e| e.to_string()));
    match manifest {
        Ok(m) => app::Assets {
            js: Some(format!("/pkg/{}", m.js)),
            wasm: Some(format!("/pkg/{}", m.wasm)),
            css: Some(format!("/pkg/{}", m.css)),
        },
        Err(reason) => {
            tracing::warn!(
                path = %path.display(),
                %reason,
                "no browser bundle: pages are served without styles or interactivity (build it with .ci/build-web)"
            );
            app::Assets::default()
        }
    }
}

/// `/pkg/*`: precompressed files with long cache headers.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path) -> Router<S> {
    let files = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service("/pkg", files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
}
