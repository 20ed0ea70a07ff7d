//! Typed settings: defaults, then an optional TOML file, then `TERRAIN_*` environment variables
//! (and `DATABASE_URL`). The database URL may hold a password, so `Debug` redacts it.

use serde::Deserialize;
use std::{fmt, net::SocketAddr, path::PathBuf};

/// Everything `terrain serve` needs to know. Build it with [`Settings::load`].
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// `sqlite:…` or `postgres://…`; the scheme picks the backend.
    pub database_url: String,
    /// Folder holding the built browser bundle (`pkg/` and `assets.json`).
    pub site_root: PathBuf,
    /// `text` (default) or `json` logs.
    pub log_format: LogFormat,
    /// Mark cookies `Secure` (set when served over https; also inferred per request from
    /// `X-Forwarded-Proto: https`).
    pub secure_cookies: bool,
    /// Failed logins allowed per account, and per client address, within the window.
    pub login_attempts_per_account: usize,
    pub login_attempts_per_address: usize,
    pub login_window_secs: u64,
    /// Frames queued per sync connection before a reader that stopped reading is let go.
    pub sync_send_queue: usize,
    /// Seconds between WebSocket pings on each sync connection (a peer silent for two
    /// intervals is closed).
    pub sync_keepalive_secs: u64,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/terrain.db?mode=rwc";

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            site_root: PathBuf::from("target/site"),
            log_format: LogFormat::Text,
            secure_cookies: false,
            login_attempts_per_account: 5,
            login_attempts_per_address: 20,
            login_window_secs: 15 * 60,
            sync_send_queue: crate::sync::SEND_QUEUE,
            sync_keepalive_secs: crate::sync::KEEPALIVE.as_secs(),
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("database_url", &redact_url(&self.database_url))
            .field("site_root", &self.site_root)
            .field("log_format", &self.log_format)
            .field("secure_cookies", &self.secure_cookies)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the settings file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the settings file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{name}={value:?} is not valid: {reason}")]
    Env {
        name: &'static str,
        value: String,
        reason: String,
    },
}

impl Settings {
    pub fn login_limits(&self) -> crate::auth::rate_limit::Limits {
        crate::auth::rate_limit::Limits {
            per_account: self.login_attempts_per_account.max(1),
            per_address: self.login_attempts_per_address.max(1),
            window: std::time::Duration::from_secs(self.login_window_secs.max(1)),
        }
    }

    /// Reads the settings: defaults, then `file` (or `TERRAIN_CONFIG`) if given, then the
    /// environment.
    pub fn load(file: Option<PathBuf>) -> Result<Self, SettingsError> {
        let file = file.or_else(|| std::env::var_os("TERRAIN_CONFIG").map(PathBuf::from));
        let mut settings = match file {
            Some(path) => Self::from_file(&path)?,
            None => Self::default(),
        };
        settings.apply_env(|name| std::env::var(name).ok())?;
        Ok(settings)
    }

    fn from_file(path: &std::path::Path) -> Result<Self, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| SettingsError::Parse {
            path: path.to_owned(),
            message: e.message().to_owned(),
        })
    }

    /// Overrides from environment variables, read through `get` so tests need not touch the
    /// process environment.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        if let Some(value) = get("TERRAIN_ADDR") {
            self.addr = value.parse().map_err(|_| SettingsError::Env {
                name: "TERRAIN_ADDR",
                reason: "expected an address and port such as 127.0.0.1:3000".into(),
                value,
            })?;
        }
        if let Some(value) = get("TERRAIN_DATABASE_URL").or_else(|| get("DATABASE_URL")) {
            self.database_url = value;
        }
        if let Some(value) = get("TERRAIN_SITE_ROOT") {
            self.site_root = PathBuf::from(value);
        }
        if let Some(value) = get("TERRAIN_SYNC_SEND_QUEUE") {
            self.sync_send_queue = value.parse().map_err(|_| SettingsError::Env {
                name: "TERRAIN_SYNC_SEND_QUEUE",
                reason: "expected a number of frames".into(),
                value,
            })?;
        }
        if let Some(value) = get("TERRAIN_SYNC_KEEPALIVE_SECS") {
            self.sync_keepalive_secs =
                value
                    .parse()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| SettingsError::Env {
                        name: "TERRAIN_SYNC_KEEPALIVE_SECS",
                        reason: "expected a number of seconds above 0".into(),
                        value,
                    })?;
        }
        if let Some(value) = get("TERRAIN_SECURE_COOKIES") {
            self.secure_cookies = matches!(value.as_str(), "1" | "true" | "yes");
        }
        if let Some(value) = get("TERRAIN_LOG_FORMAT") {
            self.log_format = match value.as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => {
                    return Err(SettingsError::Env {
                        name: "TERRAIN_LOG_FORMAT",
                        reason: "expected text or json".into(),
                        value,
                    });
                }
            };
        }
        Ok(())
    }
}

/// Hides the password of a URL such as `postgres://user:secret@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn defaults_listen_on_loopback_3000_with_sqlite_under_data() {
        let s = Settings::default();
        assert_eq!(s.addr.to_string(), DEFAULT_ADDR);
        assert!(s.database_url.starts_with("sqlite://data/"));
    }

    #[test]
    fn toml_then_env_override_in_that_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terrain.toml");
        std::fs::write(
            &path,
            "addr = \"127.0.0.1:4000\"\ndatabase_url = \"postgres://a@b/c\"\n",
        )
        .unwrap();
        let mut s = Settings::from_file(&path).unwrap();
        assert_eq!(s.addr.port(), 4000);
        s.apply_env(env(&[("TERRAIN_ADDR", "127.0.0.1:5000")]))
            .unwrap();
        assert_eq!(s.addr.port(), 5000);
        assert_eq!(s.database_url, "postgres://a@b/c");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terrain.toml");
        std::fs::write(&path, "adress = \"x\"\n").unwrap();
        let err = Settings::from_file(&path).unwrap_err().to_string();
        assert!(err.contains("adress"), "{err}");
        let err = Settings::default()
            .apply_env(env(&[("TERRAIN_ADDR", "localhost")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("TERRAIN_ADDR"), "{err}");
    }

    #[test]
    fn debug_never_shows_the_database_password() {
        let s = Settings {
            database_url: "postgres://terrain:hunter2@db.example/terrain".into(),
            ..Settings::default()
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("terrain:***@db.example/terrain"), "{shown}");
    }
}
