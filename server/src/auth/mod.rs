//! Who is asking, and what they may do: passwords, secrets (sessions, API tokens), the login
//! rate limit, the request middleware that resolves a [`app::accounts::Viewer`] and refuses
//! cross-site writes, and the single authorization module.

pub mod authorize;
pub mod middleware;
pub mod password;
pub mod rate_limit;
pub mod secret;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "terrain_session";
/// How long a session lasts without being used.
pub const SESSION_DAYS: i64 = 30;
