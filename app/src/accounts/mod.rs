//! Accounts as pages see them: who is signed in, their territories and roles, and the server
//! functions that read and change them. The rules themselves (who may do what) live in the
//! server's authorization module; [`Role::can_write`] is the one fact both sides share, so the
//! browser can hide what the server would refuse.

pub mod api;
#[cfg(feature = "ssr")]
mod backend;
mod error;
mod types;

#[cfg(feature = "ssr")]
pub use backend::{AccountsBackend, SharedBackend, SignedIn, Viewer, request_context};
pub use error::AccountError;
pub use types::*;
