//! The `terrain` server: settings, start-up, routes, storage and the command line.
//!
//! Data flow of a page request: axum routes it; [`startup::router`] hands page routes to
//! leptos_axum, which renders [`app::App`] inside [`app::shell`] to a stream of HTML; the browser
//! then loads the content-hashed wasm bundle from `/pkg/` ([`assets`]) and hydrates the page.
//!
//! Tests start the real server with [`startup::serve`] on a listener bound to port 0.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod api;
pub mod assets;
pub mod auth;
pub mod cli;
pub mod db;
pub mod demo;
pub mod documents;
pub mod i18n;
pub mod metrics;
pub mod offline;
pub mod portfolio;
pub mod projection;
pub mod settings;
pub mod startup;
pub mod state;
pub mod store;
pub mod sync;

pub use settings::Settings;
pub use startup::{StartupError, bind, router, serve, shutdown_signal};
