//! Starts the real Terrain server on `127.0.0.1:0` for integration tests, against SQLite (always)
//! and PostgreSQL (when `TEST_DATABASE_URL` is set; each server gets a database of its own,
//! dropped by [`TestServer::stop`]).
#![forbid(unsafe_code)]

pub mod process;
pub mod sync_client;

use sea_orm::ConnectionTrait;
use server::{Settings, startup};
use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::atomic::{AtomicU32, Ordering},
};
use tokio::{sync::oneshot, task::JoinHandle};

/// Which database a test server runs on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    /// The URL of an administrative connection; a fresh database is created beside it.
    Postgres(String),
}

/// SQLite always; PostgreSQL too when `TEST_DATABASE_URL` is set.
pub fn databases() -> Vec<Db> {
    let mut dbs = vec![Db::Sqlite];
    if let Ok(url) = std::env::var("TEST_DATABASE_URL")
        && !url.is_empty()
    {
        dbs.push(Db::Postgres(url));
    }
    dbs
}

/// A running server. Call [`TestServer::stop`] at the end of the test.
pub struct TestServer {
    pub addr: SocketAddr,
    pub db: Db,
    pub database_url: String,
    /// The running server's state: its database and services, for setting up fixtures.
    pub state: server::state::AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), startup::StartupError>>>,
    pg_cleanup: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

/// Options for [`TestServer::start_with`].
#[derive(Default)]
pub struct Options {
    /// A site root holding a built bundle; by default an empty folder (no bundle).
    pub site_root: Option<PathBuf>,
    /// Changes to the default settings (login limits, …).
    pub settings: Option<fn(&mut Settings)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestServer {
    pub async fn start(db: &Db) -> Self {
        Self::start_with(db, Options::default()).await
    }

    /// A second server instance on the same database (for scale-out tests). The first one owns
    /// the database: stop the second one first.
    pub async fn start_beside(&self) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::boot(
            self.db.clone(),
            self.database_url.clone(),
            None,
            dir,
            Options::default(),
        )
        .await
    }

    /// Stops this server gracefully and starts a new one on the same database.
    pub async fn restart(mut self) -> Self {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().expect("temp dir"));
        let pg = self.pg_cleanup.take();
        Self::boot(
            self.db.clone(),
            self.database_url.clone(),
            pg,
            dir,
            Options::default(),
        )
        .await
    }

    pub async fn start_with(db: &Db, options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, pg_cleanup) = match db {
            Db::Sqlite => (
                format!("sqlite://{}/terrain.db?mode=rwc", dir.path().display()),
                None,
            ),
            Db::Postgres(admin) => {
                let name = format!(
                    "terrain_t_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                );
                let conn = server::db::connect(admin).await.expect("admin connection");
                conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                    .await
                    .expect("drop old test database");
                conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                let _ = conn.close().await;
                (with_database(admin, &name), Some((admin.clone(), name)))
            }
        };
        Self::boot(db.clone(), database_url, pg_cleanup, dir, options).await
    }

    async fn boot(
        db: Db,
        database_url: String,
        pg_cleanup: Option<(String, String)>,
        dir: tempfile::TempDir,
        options: Options,
    ) -> Self {
        let mut settings = Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.clone(),
            site_root: options.site_root.unwrap_or_else(|| dir.path().join("site")),
            ..Settings::default()
        };
        if let Some(change) = options.settings {
            change(&mut settings);
        }
        let conn = server::db::connect_and_migrate(&settings.database_url)
            .await
            .expect("database");
        let listener = startup::bind(settings.addr).await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let state = startup::state(&settings, conn);
        let (tx, rx) = oneshot::channel();
        let task = tokio::spawn(startup::serve(state.clone(), listener, async {
            let _ = rx.await;
        }));
        Self {
            addr,
            db,
            database_url,
            state,
            shutdown: Some(tx),
            task: Some(task),
            pg_cleanup,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client that keeps cookies, sends no Accept-Language and follows no redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Graceful shutdown; drops the PostgreSQL test database.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server result");
        }
        if let Some((admin, name)) = self.pg_cleanup.take() {
            let conn = server::db::connect(&admin).await.expect("admin connection");
            conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drop test database");
            let _ = conn.close().await;
        }
    }
}

/// Replaces the database name (the path) of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::with_database("postgres://u@h?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
