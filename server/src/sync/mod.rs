//! The sync server's driver: one task owns the sans-IO [`app::sync::Hub`] and carries out its
//! effects — frames go to each connection's bounded send queue, access checks, loads and stores
//! run as tasks against the database and report back as events. Each WebSocket is a reader and
//! a writer around that queue.
//!
//! Memory stays bounded: idle documents leave the hub, each connection's queue holds at most
//! [`SEND_QUEUE`] frames, and a connection whose queue is full (a stalled reader) is closed
//! rather than allowed to hold up anyone else; its client resyncs when it reconnects.

pub mod queue;
pub mod store;
pub mod ws;

use app::sync::{Access, ConnId, DocumentId, Hub, HubLimits, PeerId, SyncEffect, SyncEvent};
use sea_orm::{DatabaseConnection, EntityTrait};
use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};
use tokio::sync::mpsc;

use crate::{
    auth::authorize,
    store::entities::document,
    sync::{
        queue::{Refused, SendQueue},
        store::DocStore,
    },
};

/// Frames waiting to be written to one connection, by default (`TERRAIN_SYNC_SEND_QUEUE`).
pub const SEND_QUEUE: usize = 256;
/// WebSocket ping interval, by default (`TERRAIN_SYNC_KEEPALIVE_SECS`).
pub const KEEPALIVE: std::time::Duration = std::time::Duration::from_secs(30);
/// Largest WebSocket message accepted.
pub const MAX_FRAME: usize = 16 * 1024 * 1024;

enum Input {
    /// Another instance stored changes to this document (PostgreSQL LISTEN/NOTIFY).
    Remote(DocumentId),
    Open {
        conn: ConnId,
        user: i32,
        queue: Arc<SendQueue>,
    },
    Event(SyncEvent),
}

/// A handle to the running hub; cheap to clone.
#[derive(Clone)]
pub struct SyncService {
    input: mpsc::UnboundedSender<Input>,
    next_conn: Arc<AtomicU64>,
    pub store: DocStore,
    /// Capacity of each connection's send queue.
    pub send_queue: usize,
    /// How often each connection is pinged; a peer silent for two intervals is closed.
    pub keepalive: std::time::Duration,
}

/// Gauges the hub task keeps for `/metrics`.
#[derive(Default)]
pub struct SyncStats {
    pub connections: AtomicU64,
    pub documents: AtomicU64,
    pub frames_in: AtomicU64,
    pub frames_out: AtomicU64,
    pub stores: AtomicU64,
    pub slow_closed: AtomicU64,
}

impl SyncService {
    /// Starts the hub task.
    pub fn start(db: DatabaseConnection, stats: Arc<SyncStats>, send_queue: usize) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let instance = uuid::Uuid::new_v4().simple().to_string();
        let store = DocStore::new(db.clone(), instance.clone());
        if db.get_database_backend() == sea_orm::DbBackend::Postgres {
            tokio::spawn(listen(db.clone(), instance.clone(), tx.clone()));
        } else {
            tokio::spawn(crate::db::checkpoint_wal(db.clone()));
        }
        let me = PeerId(format!("terrain-{instance}"));
        let hub = Hub::new(
            me,
            HubLimits {
                max_frame: MAX_FRAME,
                ..HubLimits::default()
            },
        );
        let projector = crate::projection::Projector::start(db.clone(), store.clone());
        tokio::spawn(run_hub(
            hub,
            rx,
            tx.clone(),
            db,
            store.clone(),
            stats,
            projector,
        ));
        Self {
            input: tx,
            next_conn: Arc::new(AtomicU64::new(1)),
            store,
            send_queue: send_queue.max(1),
            keepalive: KEEPALIVE,
        }
    }

    /// Pings each connection this often (at least every second).
    pub fn with_keepalive(mut self, every: std::time::Duration) -> Self {
        self.keepalive = every.max(std::time::Duration::from_secs(1));
        self
    }

    fn open(&self, user: i32, queue: Arc<SendQueue>) -> ConnId {
        let conn = ConnId(self.next_conn.fetch_add(1, Ordering::Relaxed));
        let _ = self.input.send(Input::Open { conn, user, queue });
        conn
    }

    fn event(&self, event: SyncEvent) {
        let _ = self.input.send(Input::Event(event));
    }
}

/// The access a user has to a document: through the territory the document is registered in.
pub async fn access(db: &DatabaseConnection, user: i32, doc: &DocumentId) -> Access {
    let found = document::Entity::find_by_id(doc.as_str().to_owned())
        .one(db)
        .await;
    match found {
        Ok(Some(d)) => match authorize::role_in(db, user, d.territory_id).await {
            Ok(role) => authorize::access_of(role),
            Err(e) => {
                tracing::error!(error = %e, "authorizing a sync message");
                Access::None
            }
        },
        Ok(None) => Access::None,
        Err(e) => {
            tracing::error!(error = %e, "authorizing a sync message");
            Access::None
        }
    }
}

/// The PostgreSQL channel on which instances announce stored changes.
pub const CHANNEL: &str = "terrain_documents";

/// Follows the other instances' announcements (payload `<instance> <document>`), reconnecting
/// after a dropped connection.
async fn listen(db: DatabaseConnection, me: String, tx: mpsc::UnboundedSender<Input>) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let listener = async {
            let mut l = PgListener::connect_with(db.get_postgres_connection_pool()).await?;
            l.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(l)
        };
        let mut listener = match listener.await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "LISTEN {CHANNEL}; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        loop {
            match listener.recv().await {
                Ok(n) => {
                    let mut parts = n.payload().split(' ');
                    let (Some(from), Some(doc)) = (parts.next(), parts.next()) else {
                        continue;
                    };
                    if from == me {
                        continue;
                    }
                    if let Some(doc) = DocumentId::parse(doc)
                        && tx.send(Input::Remote(doc)).is_err()
                    {
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "listening on {CHANNEL}; reconnecting");
                    break;
                }
            }
        }
        if tx.is_closed() {
            return;
        }
    }
}

async fn run_hub(
    mut hub: Hub,
    mut rx: mpsc::UnboundedReceiver<Input>,
    tx: mpsc::UnboundedSender<Input>,
    db: DatabaseConnection,
    store: DocStore,
    stats: Arc<SyncStats>,
    projector: crate::projection::Projector,
) {
    let mut queues: HashMap<ConnId, (Arc<SendQueue>, i32)> = HashMap::new();
    let back = |event| {
        let _ = tx.send(Input::Event(event));
    };
    while let Some(input) = rx.recv().await {
        let effects = match input {
            Input::Remote(doc) => {
                if hub.document(&doc).is_some() {
                    let (store, tx) = (store.clone(), tx.clone());
                    tokio::spawn(async move {
                        match store.load(&doc).await {
                            Ok((chunks, _)) => {
                                let _ =
                                    tx.send(Input::Event(SyncEvent::ChangedElsewhere(doc, chunks)));
                            }
                            Err(e) => {
                                tracing::error!(error = %e, document = %doc, "loading a change made elsewhere")
                            }
                        }
                    });
                }
                Vec::new()
            }
            Input::Open { conn, user, queue } => {
                queues.insert(conn, (queue, user));
                hub.handle(SyncEvent::Connected(conn))
            }
            Input::Event(event) => {
                match &event {
                    SyncEvent::Frame(..) => {
                        stats.frames_in.fetch_add(1, Ordering::Relaxed);
                    }
                    SyncEvent::Disconnected(conn) => {
                        queues.remove(conn);
                    }
                    _ => {}
                }
                hub.handle(event)
            }
        };
        for effect in effects {
            match effect {
                SyncEffect::Send(conn, frame) => {
                    let Some((queue, _)) = queues.get(&conn) else {
                        continue;
                    };
                    stats.frames_out.fetch_add(1, Ordering::Relaxed);
                    match queue.push(frame) {
                        Ok(()) | Err(Refused::Closing) => {}
                        Err(Refused::Full) => {
                            // A full queue is a reader that stopped reading: let it go.
                            stats.slow_closed.fetch_add(1, Ordering::Relaxed);
                            if let Some((queue, _)) = queues.remove(&conn) {
                                queue.abandon();
                            }
                            back(SyncEvent::Disconnected(conn));
                        }
                    }
                }
                SyncEffect::Close(conn) => {
                    if let Some((queue, _)) = queues.remove(&conn) {
                        queue.close();
                    }
                }
                SyncEffect::Authorize(conn, doc) => {
                    let Some((_, user)) = queues.get(&conn) else {
                        continue;
                    };
                    let (db, tx, user) = (db.clone(), tx.clone(), *user);
                    tokio::spawn(async move {
                        let access = access(&db, user, &doc).await;
                        let _ = tx.send(Input::Event(SyncEvent::Authorized(conn, doc, access)));
                    });
                }
                SyncEffect::Load(doc) => {
                    let (store, tx) = (store.clone(), tx.clone());
                    tokio::spawn(async move {
                        let result = store
                            .load(&doc)
                            .await
                            .map(|(chunks, _)| chunks)
                            .map_err(|e| e.to_string());
                        let _ = tx.send(Input::Event(SyncEvent::Loaded(doc, result)));
                    });
                }
                SyncEffect::Store(doc, chunk) => {
                    let (store, tx, stats) = (store.clone(), tx.clone(), stats.clone());
                    let projector = projector.clone();
                    tokio::spawn(async move {
                        let result = store.append(&doc, chunk).await;
                        if result.is_ok() {
                            // The read model follows every stored change (action plans only).
                            projector.changed(doc.clone());
                        }
                        stats.stores.fetch_add(1, Ordering::Relaxed);
                        let compact = matches!(result, Ok(true));
                        let result = result.map(|_| ()).map_err(|e| {
                            tracing::error!(error = %e, document = %doc, "storing changes");
                            e.to_string()
                        });
                        let _ = tx.send(Input::Event(SyncEvent::Stored(doc.clone(), result)));
                        if compact && let Err(e) = store.compact(&doc).await {
                            tracing::warn!(error = %e, document = %doc, "compaction");
                        }
                    });
                }
            }
        }
        stats
            .connections
            .store(hub.connections() as u64, Ordering::Relaxed);
        stats
            .documents
            .store(hub.open_documents() as u64, Ordering::Relaxed);
    }
}

impl SyncStats {
    /// Appends the sync gauges and counters in the Prometheus text format.
    pub fn render(&self, out: &mut String) {
        use std::fmt::Write;
        let rows = [
            (
                "terrain_sync_connections",
                "gauge",
                "Open sync connections.",
                &self.connections,
            ),
            (
                "terrain_sync_open_documents",
                "gauge",
                "Documents held in memory by the sync hub.",
                &self.documents,
            ),
            (
                "terrain_sync_frames_received_total",
                "counter",
                "Protocol frames received.",
                &self.frames_in,
            ),
            (
                "terrain_sync_frames_sent_total",
                "counter",
                "Protocol frames sent.",
                &self.frames_out,
            ),
            (
                "terrain_sync_stores_total",
                "counter",
                "Change chunks committed.",
                &self.stores,
            ),
            (
                "terrain_sync_slow_readers_closed_total",
                "counter",
                "Connections closed because they stopped reading.",
                &self.slow_closed,
            ),
        ];
        for (name, kind, help, value) in rows {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
    }
}
