//! This device's copy of documents, in IndexedDB (through `rexie`): for each document, its
//! automerge chunks (incremental saves, folded into one snapshot from time to time), its sync
//! state with the server, and what its page needs to open offline.
//!
//! Keys are strings: `"<document>/<sequence, 10 digits>"` for chunks, so one key range holds a
//! document's chunks in order; the document id for the rest.

use js_sys::Uint8Array;
use rexie::{KeyRange, ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

const DB: &str = "terrain";
const CHUNKS: &str = "chunks";
const SYNC: &str = "sync";
const META: &str = "meta";
/// Chunks kept before they are folded into a snapshot.
pub const COMPACT_AFTER: usize = 64;

#[derive(Debug, thiserror::Error)]
#[error("device storage: {0}")]
pub struct StorageError(String);

impl From<rexie::Error> for StorageError {
    fn from(e: rexie::Error) -> Self {
        StorageError(e.to_string())
    }
}

pub struct DeviceStore {
    db: Rexie,
}

fn chunk_key(doc: &str, seq: u64) -> JsValue {
    JsValue::from_str(&format!("{doc}/{seq:010}"))
}

fn chunk_range(doc: &str) -> Result<KeyRange, StorageError> {
    KeyRange::bound(
        &JsValue::from_str(&format!("{doc}/")),
        &JsValue::from_str(&format!("{doc}/~")),
        Some(false),
        Some(false),
    )
    .map_err(|e| StorageError(e.to_string()))
}

fn bytes(v: &JsValue) -> Vec<u8> {
    Uint8Array::new(v).to_vec()
}

/// What was stored for a document.
pub struct Stored {
    pub chunks: Vec<Vec<u8>>,
    /// The next chunk's sequence number.
    pub next: u64,
    pub sync: Option<Vec<u8>>,
}

impl DeviceStore {
    pub async fn open() -> Result<Self, StorageError> {
        let db = Rexie::builder(DB)
            .version(1)
            .add_object_store(ObjectStore::new(CHUNKS))
            .add_object_store(ObjectStore::new(SYNC))
            .add_object_store(ObjectStore::new(META))
            .build()
            .await?;
        Ok(Self { db })
    }

    pub async fn load(&self, doc: &str) -> Result<Stored, StorageError> {
        let tx = self
            .db
            .transaction(&[CHUNKS, SYNC], TransactionMode::ReadOnly)?;
        let chunks = tx.store(CHUNKS)?;
        let keys = chunks.get_all_keys(Some(chunk_range(doc)?), None).await?;
        let values = chunks.get_all(Some(chunk_range(doc)?), None).await?;
        let next = keys
            .last()
            .and_then(|k| k.as_string())
            .and_then(|k| k.rsplit('/').next().and_then(|n| n.parse::<u64>().ok()))
            .map_or(0, |n| n + 1);
        let sync = tx.store(SYNC)?.get(JsValue::from_str(doc)).await?;
        tx.done().await?;
        Ok(Stored {
            chunks: values.iter().map(bytes).collect(),
            next,
            sync: sync.filter(|v| !v.is_undefined()).map(|v| bytes(&v)),
        })
    }

    pub async fn load_meta(&self, doc: &str) -> Result<Option<String>, StorageError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadOnly)?;
        let meta = tx.store(META)?.get(JsValue::from_str(doc)).await?;
        tx.done().await?;
        Ok(meta.and_then(|v| v.as_string()))
    }

    /// Appends a chunk (and the sync state, when given) in one transaction; resolves once
    /// IndexedDB has committed it.
    pub async fn append(
        &self,
        doc: &str,
        seq: u64,
        chunk: &[u8],
        sync: Option<&[u8]>,
    ) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(&[CHUNKS, SYNC], TransactionMode::ReadWrite)?;
        let value: JsValue = Uint8Array::from(chunk).into();
        tx.store(CHUNKS)?
            .put(&value, Some(&chunk_key(doc, seq)))
            .await?;
        if let Some(sync) = sync {
            let value: JsValue = Uint8Array::from(sync).into();
            tx.store(SYNC)?
                .put(&value, Some(&JsValue::from_str(doc)))
                .await?;
        }
        tx.done().await?;
        Ok(())
    }

    pub async fn put_sync(&self, doc: &str, sync: &[u8]) -> Result<(), StorageError> {
        let tx = self.db.transaction(&[SYNC], TransactionMode::ReadWrite)?;
        let value: JsValue = Uint8Array::from(sync).into();
        tx.store(SYNC)?
            .put(&value, Some(&JsValue::from_str(doc)))
            .await?;
        tx.done().await?;
        Ok(())
    }

    pub async fn put_meta(&self, doc: &str, meta: &str) -> Result<(), StorageError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadWrite)?;
        tx.store(META)?
            .put(&JsValue::from_str(meta), Some(&JsValue::from_str(doc)))
            .await?;
        tx.done().await?;
        Ok(())
    }

    /// Replaces every chunk before `seq` by the snapshot stored at `seq`, atomically.
    pub async fn compact(&self, doc: &str, seq: u64, snapshot: &[u8]) -> Result<(), StorageError> {
        let tx = self.db.transaction(&[CHUNKS], TransactionMode::ReadWrite)?;
        let store = tx.store(CHUNKS)?;
        let old = store.get_all_keys(Some(chunk_range(doc)?), None).await?;
        let value: JsValue = Uint8Array::from(snapshot).into();
        store.put(&value, Some(&chunk_key(doc, seq))).await?;
        let keep = chunk_key(doc, seq).as_string();
        for key in old {
            if key.as_string() < keep {
                store.delete(key).await?;
            }
        }
        tx.done().await?;
        Ok(())
    }
}
