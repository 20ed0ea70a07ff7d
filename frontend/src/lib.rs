//! Terrain's browser entry point. The page arrives rendered by the server; this only hydrates it.
#![forbid(unsafe_code)]

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the hydration script once the wasm module is instantiated.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
