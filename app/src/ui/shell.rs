//! The HTML document around [`App`], rendered only on the server: head, stylesheet and the
//! script that loads the wasm and hydrates the body.

use crate::App;
use leptos::prelude::*;
use leptos_meta::MetaTags;

/// Public URLs of the built browser bundle (content-hashed names). `None` when the bundle has
/// not been built: the page is then served without styles or interactivity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assets {
    pub js: Option<String>,
    pub wasm: Option<String>,
    pub css: Option<String>,
}

/// The brand mark as an inline SVG, so no request is spent on it.
const FAVICON: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Cdefs%3E%3ClinearGradient id='g' x1='0' y1='0' x2='1' y2='1'%3E%3Cstop offset='0' stop-color='%23b4572e'/%3E%3Cstop offset='.6' stop-color='%23d98b4a'/%3E%3Cstop offset='1' stop-color='%232f6b4f'/%3E%3C/linearGradient%3E%3C/defs%3E%3Cpath d='M16 2a14 14 0 1 1 0 28H6a4 4 0 0 1-4-4V16A14 14 0 0 1 16 2z' fill='url(%23g)'/%3E%3C/svg%3E";

/// Renders the full document for one request.
pub fn shell(assets: Assets) -> impl IntoView {
    let hydration = match (assets.js, assets.wasm) {
        (Some(js), Some(wasm)) => {
            // Plain JSON string literals are valid JS string literals.
            let script = format!(
                "import init, {{ hydrate }} from {js};\ninit({{ module_or_path: {wasm} }}).then(hydrate);",
                js = serde_json::Value::from(js.clone()),
                wasm = serde_json::Value::from(wasm.clone()),
            );
            Some(view! {
                <link rel="modulepreload" href=js />
                <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="" />
                <script type="module">{script}</script>
            })
        }
        _ => None,
    };
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <meta name="theme-color" content="#b4572e" />
                <link rel="icon" href=FAVICON />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icon.svg" />
                // The service worker keeps the app shell and the pages opened online, so
                // Terrain opens with no network (see server/src/offline.js).
                <script>"if ('serviceWorker' in navigator) { navigator.serviceWorker.register('/sw.js'); }"</script>
                {assets.css.map(|href| view! { <link rel="stylesheet" href=href /> })}
                {hydration}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}
