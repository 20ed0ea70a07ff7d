//! Terrain's shared library, compiled twice: for the server (`ssr`) and for the browser
//! (`hydrate`).
//!
//! - [`ui`] holds the Leptos pages and components. The server renders them to HTML; the browser
//!   hydrates that HTML and takes over.
//! - [`sync`] is the automerge-repo sync protocol, sans IO: the server's hub runs it over axum
//!   WebSockets; the same code compiles to wasm for the browser.
//! - [`i18n`] is generated at build time from `locales/{fr,ar,en}.json` (French by default,
//!   Arabic right-to-left). Every user-visible string goes through it.
//!
//! Server-only code sits behind `#[cfg(feature = "ssr")]`, browser-only code behind
//! `#[cfg(feature = "hydrate")]`.
#![forbid(unsafe_code)]
// Leptos view types nest deeply; the diagnosis page needs more than the default 128.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod accounts;
pub mod local;
pub mod locale;
pub mod model;
pub mod sync;
pub mod ui;

pub use ui::App;
#[cfg(feature = "ssr")]
pub use ui::shell::{Assets, shell};
