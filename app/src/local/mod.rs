//! The local-first runtime of a document page, generic over document kinds.
//!
//! In the browser, [`LiveDoc::open`] loads the document from this device (IndexedDB), shows it,
//! and syncs it with the server over a WebSocket with the same sans-IO client the tests drive
//! ([`crate::sync::Client`]). A local edit is committed to IndexedDB before the page says
//! "saved"; the server's confirmation makes it "synced". The connection comes back by itself
//! (exponential backoff with jitter, and at once when the browser says it is online again), and
//! resumes from the persisted sync state. Presence (who is here, what they edit) travels as
//! ephemeral messages.
//!
//! On the server the page renders without the document ("opening…"); hydration then starts the
//! runtime, so the server-rendered HTML and the first browser render agree.

pub mod status;
pub mod timing;

#[cfg(feature = "hydrate")]
mod idb;
#[cfg(feature = "hydrate")]
mod runtime;

pub use status::{AwaySummary, Presence, SyncStatus};

use crate::{accounts::DocumentInfo, sync::DocumentId};
use automerge::{AutoCommit, AutomergeError};
use leptos::prelude::*;

/// What this device remembers of a document's page (kept when the page was last open online),
/// for opening it with no network.
pub async fn remembered_info(id: &str) -> Option<DocumentInfo> {
    #[cfg(feature = "hydrate")]
    {
        let store = idb::DeviceStore::open().await.ok()?;
        let meta = store.load_meta(id).await.ok()??;
        serde_json::from_str(&meta).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}

/// A document open on this page, and what the page shows about it.
#[derive(Clone, Copy)]
pub struct LiveDoc {
    /// Bumped on every change, local or remote; reading the document subscribes to it.
    pub version: RwSignal<u64>,
    pub status: RwSignal<SyncStatus>,
    /// Everyone else here: (peer, presence).
    pub presence: RwSignal<Vec<(String, Presence)>>,
    /// Shown after a resync that brought others' changes.
    pub away: RwSignal<Option<AwaySummary>>,
    /// Whether this page may edit (managers may not).
    pub can_write: bool,
    #[cfg(feature = "hydrate")]
    runtime: StoredValue<Option<runtime::Handle>, LocalStorage>,
}

impl LiveDoc {
    /// Opens the document for this page (in the browser; on the server it stays "loading").
    pub fn open(id: DocumentId, info: DocumentInfo) -> Self {
        let live = LiveDoc {
            version: RwSignal::new(0),
            status: RwSignal::new(SyncStatus::Loading),
            presence: RwSignal::new(Vec::new()),
            away: RwSignal::new(None),
            can_write: info.can_write(),
            #[cfg(feature = "hydrate")]
            runtime: StoredValue::new_local(None),
        };
        #[cfg(feature = "hydrate")]
        {
            let handle = runtime::Handle::start(id, info, live);
            live.runtime.set_value(Some(handle));
            on_cleanup(move || {
                if let Some(handle) = live.runtime.try_update_value(Option::take).flatten() {
                    handle.stop();
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, info);
        live
    }

    /// Reads the document (`None` until it is open); re-runs when it changes.
    pub fn read<R>(&self, f: impl FnOnce(&AutoCommit) -> R) -> Option<R> {
        self.version.track();
        #[cfg(feature = "hydrate")]
        {
            let handle = self.runtime.with_value(|h| h.clone())?;
            handle.read(f)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = f;
            None
        }
    }

    /// Makes an edit: committed as one change, saved on this device, then sent. Ignored when
    /// this page may not write, so nothing the server would refuse is ever queued.
    pub fn edit(&self, f: impl FnOnce(&mut AutoCommit) -> Result<(), AutomergeError>) {
        if !self.can_write {
            return;
        }
        #[cfg(feature = "hydrate")]
        if let Some(handle) = self.runtime.with_value(|h| h.clone()) {
            handle.edit(f);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = f;
    }

    /// Tells the others which item this page is editing (`None`: none).
    pub fn editing(&self, item: Option<String>) {
        // Someone who cannot edit only looks: announcing "editing" would mislead the others.
        if !self.can_write {
            return;
        }
        #[cfg(feature = "hydrate")]
        if let Some(handle) = self.runtime.with_value(|h| h.clone()) {
            handle.editing(item);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = item;
    }

    /// Who else is editing this item.
    pub fn editors_of(&self, item: &str) -> Vec<Presence> {
        self.presence.with(|all| {
            all.iter()
                .filter(|(_, p)| p.editing.as_deref() == Some(item))
                .map(|(_, p)| p.clone())
                .collect()
        })
    }
}
