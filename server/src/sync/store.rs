//! Where documents live: append-only change chunks in the database, loaded as snapshot plus
//! incremental chunks, and compacted in the background into one snapshot.

use app::sync::DocumentId;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};

use crate::store::{StoreError, entities::document_chunk};
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, OnceLock},
};

/// Chunks beyond which a document is compacted, once its incremental chunks weigh half its
/// snapshot. Loading reads the snapshot and the chunks in one pass, so the chunks' bytes are
/// what a load costs beyond the snapshot; folding them costs a load and a save of the whole
/// document. Compacting every 64 chunks whatever their size made a document written to without
/// pause be loaded and saved whole ten times a second (12% of the server's CPU time in the
/// sustained-changes benchmark, growing with the document); in proportion to the snapshot, the
/// cost of compaction per byte stored stays the same however large the document grows.
pub const COMPACT_AFTER: u64 = 64;
/// Chunks beyond which a document is compacted whatever they weigh.
pub const COMPACT_ALWAYS: u64 = 4096;

/// What a document's chunks weigh, as far as this instance knows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub chunks: u64,
    /// Bytes of the incremental chunks.
    pub incremental: u64,
    /// Bytes of the snapshots (one, once compacted).
    pub snapshots: u64,
}

impl Tally {
    /// Counts `chunks` chunks of this kind weighing `bytes` in all.
    fn add(&mut self, kind: &str, chunks: u64, bytes: u64) {
        self.chunks += chunks;
        if kind == "snapshot" {
            self.snapshots += bytes;
        } else {
            self.incremental += bytes;
        }
    }

    /// Whether folding the chunks into one snapshot is worth its cost now.
    pub fn compaction_due(&self) -> bool {
        self.chunks > COMPACT_ALWAYS
            || (self.chunks > COMPACT_AFTER && self.incremental * 2 >= self.snapshots)
    }
}

/// The document store the sync driver uses.
#[derive(Clone)]
pub struct DocStore {
    db: DatabaseConnection,
    /// This server instance, named in change announcements so it can ignore its own.
    instance: String,
    compacting: Arc<Mutex<HashSet<DocumentId>>>,
    /// Each document's chunks as this instance last knew them, so that appending does not need
    /// a second query to decide on compaction. Approximate across instances, which only moves a
    /// compaction earlier or later.
    tallies: Arc<Mutex<HashMap<DocumentId, Tally>>>,
    /// On SQLite, one chunk write at a time in this process: an append that met a compaction's
    /// transaction would otherwise get SQLITE_BUSY and sleep in SQLite's busy handler (1 ms,
    /// then 2, 5...) instead of starting the moment the transaction ends.
    writes: Option<Arc<tokio::sync::Mutex<()>>>,
}

/// Documents whose tally is remembered; beyond that the memory is cleared and tallies are asked
/// of the database again.
const TALLIES_KEPT: usize = 10_000;

impl DocStore {
    pub fn new(db: DatabaseConnection, instance: String) -> Self {
        Self {
            instance,
            compacting: Arc::default(),
            tallies: Arc::default(),
            writes: (db.get_database_backend() == DbBackend::Sqlite).then(Arc::default),
            db,
        }
    }

    async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.writes {
            Some(lock) => Some(lock.lock().await),
            None => None,
        }
    }

    /// Every chunk of a document, oldest first, with the id of the newest.
    pub async fn load(&self, doc: &DocumentId) -> Result<(Vec<Vec<u8>>, i64), StoreError> {
        let rows = document_chunk::Entity::find()
            .filter(document_chunk::Column::DocumentId.eq(doc.as_str()))
            .order_by_asc(document_chunk::Column::Id)
            .all(&self.db)
            .await?;
        let last = rows.last().map(|r| r.id).unwrap_or(0);
        self.remember(doc, tally_of(&rows));
        Ok((rows.into_iter().map(|r| r.data).collect(), last))
    }

    fn remember(&self, doc: &DocumentId, tally: Tally) {
        if let Ok(mut tallies) = self.tallies.lock() {
            if tallies.len() >= TALLIES_KEPT && !tallies.contains_key(doc) {
                tallies.clear();
            }
            tallies.insert(doc.clone(), tally);
        }
    }

    /// What the document's chunks weigh, asked of the database.
    pub async fn tally(&self, doc: &DocumentId) -> Result<Tally, StoreError> {
        use sea_orm::{FromQueryResult, sea_query::Expr};
        #[derive(FromQueryResult)]
        struct Row {
            kind: String,
            chunks: i64,
            bytes: Option<i64>,
        }
        let rows = document_chunk::Entity::find()
            .filter(document_chunk::Column::DocumentId.eq(doc.as_str()))
            .select_only()
            .column(document_chunk::Column::Kind)
            .column_as(Expr::cust("COUNT(*)"), "chunks")
            .column_as(Expr::cust("CAST(SUM(LENGTH(data)) AS BIGINT)"), "bytes")
            .group_by(document_chunk::Column::Kind)
            .into_model::<Row>()
            .all(&self.db)
            .await?;
        let mut tally = Tally::default();
        for row in rows {
            tally.add(
                &row.kind,
                u64::try_from(row.chunks).unwrap_or(0),
                u64::try_from(row.bytes.unwrap_or(0)).unwrap_or(0),
            );
        }
        Ok(tally)
    }

    /// Chunks newer than `after` (for changes another instance stored).
    pub async fn load_after(
        &self,
        doc: &DocumentId,
        after: i64,
    ) -> Result<(Vec<Vec<u8>>, i64), StoreError> {
        let rows = document_chunk::Entity::find()
            .filter(document_chunk::Column::DocumentId.eq(doc.as_str()))
            .filter(document_chunk::Column::Id.gt(after))
            .order_by_asc(document_chunk::Column::Id)
            .all(&self.db)
            .await?;
        let last = rows.last().map(|r| r.id).unwrap_or(after);
        Ok((rows.into_iter().map(|r| r.data).collect(), last))
    }

    /// Appends one chunk; returns once it is committed. Answers whether the document is due
    /// for compaction (see [`Tally::compaction_due`]).
    pub async fn append(&self, doc: &DocumentId, chunk: Vec<u8>) -> Result<bool, StoreError> {
        let bytes = chunk.len() as u64;
        let turn = self.write_turn().await;
        document_chunk::ActiveModel {
            document_id: Set(doc.as_str().to_owned()),
            kind: Set("incremental".to_owned()),
            data: Set(chunk),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        drop(turn);
        if self.db.get_database_backend() == DbBackend::Postgres {
            // Tell the other instances sharing this database. Both parts are alphanumeric.
            let payload = format!("{} {}", self.instance, doc.as_str());
            self.db
                .execute_unprepared(&format!("NOTIFY {}, '{payload}'", super::CHANNEL))
                .await?;
        }
        let known = self.tallies.lock().ok().and_then(|mut tallies| {
            tallies.get_mut(doc).map(|t| {
                t.add("incremental", 1, bytes);
                *t
            })
        });
        let tally = match known {
            Some(t) => t,
            None => {
                let t = self.tally(doc).await?;
                self.remember(doc, t);
                t
            }
        };
        Ok(tally.compaction_due())
    }

    /// Folds every chunk present now into one snapshot. Chunks appended meanwhile have higher
    /// ids and are kept, so writers never wait for this. One compaction per document at a time
    /// in this process; across instances the delete checks it removed exactly what it folded.
    pub async fn compact(&self, doc: &DocumentId) -> Result<(), StoreError> {
        {
            let Ok(mut busy) = self.compacting.lock() else {
                return Ok(());
            };
            if !busy.insert(doc.clone()) {
                return Ok(());
            }
        }
        let result = self.compact_now(doc).await;
        if let Ok(mut busy) = self.compacting.lock() {
            busy.remove(doc);
        }
        result
    }

    async fn compact_now(&self, doc: &DocumentId) -> Result<(), StoreError> {
        let rows = document_chunk::Entity::find()
            .filter(document_chunk::Column::DocumentId.eq(doc.as_str()))
            .order_by_asc(document_chunk::Column::Id)
            .all(&self.db)
            .await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            return Ok(());
        };
        let folded = tally_of(&rows);
        self.remember(doc, folded);
        if rows.len() < 2 {
            return Ok(());
        }
        let first = rows.first().map(|r| r.id).unwrap_or(last);
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let snapshot = in_background(move || {
            let am = app::sync::load_chunks(rows.iter().map(|r| &r.data))
                .map_err(|e| StoreError::Transaction(format!("automerge: {e}")))?;
            Ok::<_, StoreError>(am.save())
        })
        .await??;
        let snapshot_bytes = snapshot.len() as u64;
        let id = doc.as_str().to_owned();
        let _turn = self.write_turn().await;
        self.db
            .transaction::<_, (), StoreError>(move |txn| {
                Box::pin(async move {
                    // Exactly the chunks folded, and all of them: if another compaction (here or on
                    // another instance) got there first, give up rather than lose anything.
                    let deleted = document_chunk::Entity::delete_many()
                        .filter(document_chunk::Column::DocumentId.eq(id.clone()))
                        .filter(document_chunk::Column::Id.is_in(ids.clone()))
                        .exec(txn)
                        .await?;
                    if deleted.rows_affected != ids.len() as u64 {
                        return Err(StoreError::Transaction(
                            "document compacted concurrently; left as it is".into(),
                        ));
                    }
                    // The snapshot takes the place of the first folded chunk, keeping order.
                    document_chunk::ActiveModel {
                        id: Set(first),
                        document_id: Set(id),
                        kind: Set("snapshot".to_owned()),
                        data: Set(snapshot),
                        created_at: Set(Utc::now()),
                    }
                    .insert(txn)
                    .await?;
                    Ok(())
                })
            })
            .await?;
        // Chunks appended meanwhile were counted on top; the folded ones are now one snapshot.
        if let Ok(mut tallies) = self.tallies.lock()
            && let Some(t) = tallies.get_mut(doc)
        {
            t.chunks = t.chunks.saturating_sub(folded.chunks - 1);
            t.incremental = t.incremental.saturating_sub(folded.incremental);
            t.snapshots = t
                .snapshots
                .saturating_sub(folded.snapshots)
                .saturating_add(snapshot_bytes);
        }
        Ok(())
    }
}

fn tally_of(rows: &[document_chunk::Model]) -> Tally {
    let mut tally = Tally::default();
    for row in rows {
        tally.add(&row.kind, 1, row.data.len() as u64);
    }
    tally
}

/// Runs `work` on the compactor: one thread at the lowest scheduling priority (nice 19), so
/// that folding a large document into a snapshot takes only CPU time live traffic leaves over
/// (and still some when there is none left). Falls back to tokio's blocking pool where that
/// thread cannot be started.
async fn in_background<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    type Job = Box<dyn FnOnce() + Send>;
    static COMPACTOR: OnceLock<Option<std::sync::mpsc::Sender<Job>>> = OnceLock::new();
    let compactor = COMPACTOR.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let started = std::thread::Builder::new()
            .name("compactor".into())
            .spawn(move || {
                lower_this_threads_priority();
                for job in rx {
                    job();
                }
            });
        match started {
            Ok(_) => Some(tx),
            Err(e) => {
                tracing::warn!(error = %e, "starting the compactor thread");
                None
            }
        }
    });
    let lost = |e: &dyn std::fmt::Display| StoreError::Transaction(format!("compaction: {e}"));
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(work());
    });
    match compactor {
        Some(queue) => match queue.send(job) {
            Ok(()) => rx.await.map_err(|e| lost(&e)),
            Err(e) => Err(lost(&e)),
        },
        None => {
            tokio::task::spawn_blocking(job)
                .await
                .map_err(|e| lost(&e))?;
            rx.await.map_err(|e| lost(&e))
        }
    }
}

#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // On Linux a thread id names that one thread to setpriority(2).
    if let Err(e) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19) {
        tracing::debug!(error = %e, "lowering the compactor's priority");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}
