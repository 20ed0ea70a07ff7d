//! Opening the database named by `DATABASE_URL` (SQLite or PostgreSQL) and bringing its schema
//! up to date. Every way this can fail ends in one sentence that says what to fix.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use std::{path::PathBuf, time::Duration};

use crate::settings::redact_url;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "DATABASE_URL {0:?} is not a database address: use sqlite://path/to/file.db?mode=rwc or postgres://user@host/db"
    )]
    BadUrl(String),
    #[error(
        "cannot create or write the data folder {path}: {reason}; fix its permissions or point DATABASE_URL elsewhere"
    )]
    DataDir { path: PathBuf, reason: String },
    #[error(
        "cannot open the database {url}: {reason}; check DATABASE_URL and that the database server is running"
    )]
    Connect { url: String, reason: String },
    #[error("cannot apply the database migrations: {0}")]
    Migrate(String),
}

/// Which engine a URL names, decided by its scheme alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(DbError::BadUrl(redact_url(url)))
        }
    }
}

/// The file an `sqlite:` URL points at, if it is a file (not `:memory:`).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(PathBuf::from(path))
    }
}

/// Makes sure the folder of an SQLite file exists and is writable, so a wrong folder gives a
/// clear message rather than SQLite's "unable to open database file".
fn prepare_sqlite_dir(url: &str) -> Result<(), DbError> {
    let Some(file) = sqlite_file(url) else {
        return Ok(());
    };
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let fail = |e: std::io::Error| DbError::DataDir {
        path: dir.clone(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let probe = dir.join(".terrain-write-check");
    std::fs::write(&probe, b"ok").map_err(fail)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Connects, tunes the engine (WAL and a busy timeout on SQLite) and applies migrations.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbError> {
    let db = connect(url).await?;
    Migrator::up(&db, None)
        .await
        .map_err(|e| DbError::Migrate(e.to_string()))?;
    Ok(db)
}

/// Connects without migrating.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbError> {
    let backend = Backend::of(url)?;
    if backend == Backend::Sqlite {
        prepare_sqlite_dir(url)?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if backend == Backend::Sqlite {
        options.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // Checkpoints run in the background (see `checkpoint_wal`), not in whichever
                // commit crosses a thousand pages of log.
                .pragma("wal_autocheckpoint", "0")
        });
    } else {
        options.max_connections(16);
    }
    let db = Database::connect(options)
        .await
        .map_err(|e| DbError::Connect {
            url: redact_url(url),
            reason: root_cause(&e),
        })?;
    Ok(db)
}

/// How often the SQLite log is copied back into the database file.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Keeps SQLite's write-ahead log short, off the commit path: every [`CHECKPOINT_EVERY`], a
/// passive checkpoint copies what the log holds into the database file (and syncs both), never
/// waiting for a reader or a writer. SQLite's own checkpoint runs inside the commit that
/// crosses a thousand pages of log, fsync included: 4.5 ms measured here, during which that
/// commit, and so the acknowledgement of a change and the fan-out of the next, waited. Runs
/// until the database is closed; on PostgreSQL it returns at once.
pub async fn checkpoint_wal(db: DatabaseConnection) {
    if db.get_database_backend() != DbBackend::Sqlite {
        return;
    }
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = checkpoint(&db).await {
            if db.ping().await.is_err() {
                return;
            }
            tracing::warn!(error = %e, "checkpointing the SQLite log");
        }
    }
}

/// One passive checkpoint: the pages the log holds and how many of them are now in the
/// database file.
pub async fn checkpoint(db: &DatabaseConnection) -> Result<(i64, i64), sea_orm::DbErr> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA wal_checkpoint(PASSIVE)",
        ))
        .await?
        .ok_or_else(|| sea_orm::DbErr::Custom("wal_checkpoint returned no row".into()))?;
    Ok((row.try_get_by_index(1)?, row.try_get_by_index(2)?))
}

/// Answers whether the database responds, for `/healthz`.
pub async fn ping(db: &DatabaseConnection) -> bool {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres | DbBackend::Sqlite | DbBackend::MySql => "SELECT 1",
        _ => "SELECT 1",
    };
    db.execute_unprepared(sql).await.is_ok()
}

fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let text = cause.to_string();
    if text.is_empty() { e.to_string() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_picks_the_backend() {
        assert_eq!(Backend::of("sqlite://data/t.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::of("sqlite::memory:").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::of("postgres://u@h/d").unwrap(), Backend::Postgres);
        assert_eq!(
            Backend::of("postgresql://u@h/d").unwrap(),
            Backend::Postgres
        );
        let err = Backend::of("mysql://u:pw@h/d").unwrap_err().to_string();
        assert!(err.contains("is not a database address"), "{err}");
        assert!(!err.contains("pw"), "{err}");
    }

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite://data/terrain.db?mode=rwc"),
            Some(PathBuf::from("data/terrain.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }

    #[tokio::test]
    async fn an_unwritable_data_folder_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"").unwrap();
        let url = format!("sqlite://{}/sub/terrain.db?mode=rwc", blocker.display());
        let err = connect(&url).await.unwrap_err().to_string();
        assert!(
            err.starts_with("cannot create or write the data folder"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn sqlite_opens_in_wal_mode_and_migrates() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = connect_and_migrate(&url).await.unwrap();
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA journal_mode",
            ))
            .await
            .unwrap()
            .unwrap();
        let mode: String = row.try_get_by_index(0).unwrap();
        assert_eq!(mode, "wal");
        assert!(ping(&db).await);
    }

    #[tokio::test]
    async fn the_log_is_checkpointed_by_us_not_by_a_commit() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = connect(&url).await.unwrap();
        let exec = |sql: String| {
            let db = db.clone();
            async move { db.execute_unprepared(&sql).await.unwrap() }
        };
        exec("CREATE TABLE t (x BLOB)".into()).await;
        // Past SQLite's default of a thousand pages: no commit checkpoints any of it.
        for _ in 0..300 {
            exec("INSERT INTO t VALUES (zeroblob(16000))".into()).await;
        }
        let wal = dir.path().join("t.db-wal");
        let logged = std::fs::metadata(&wal).unwrap().len();
        assert!(logged > 1000 * 4096, "the log holds {logged} bytes");
        let (pages, copied) = checkpoint(&db).await.unwrap();
        assert!(pages > 1000, "{pages} pages in the log");
        assert_eq!(copied, pages);
        // The next write starts the log over rather than growing it.
        exec("INSERT INTO t VALUES (1)".into()).await;
        let (pages, copied) = checkpoint(&db).await.unwrap();
        assert!(pages < 10, "{pages} pages in the log after a checkpoint");
        assert_eq!(copied, pages);
        let rows = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Sqlite,
                "SELECT COUNT(*) FROM t",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rows.try_get_by_index::<i64>(0).unwrap(), 301);
    }
}
