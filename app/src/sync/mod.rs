//! The automerge-repo sync protocol (WebSocket protocol version "1"), sans IO.
//!
//! - [`wire`] encodes and decodes the CBOR frames (`join`, `peer`, `request`, `sync`,
//!   `doc-unavailable`, `ephemeral`, `error`, `leave`, `remote-subscription-change`,
//!   `remote-heads-changed`).
//! - [`client`] is the browser's side: one connection, many open documents, sync states that
//!   survive reconnections.
//! - [`hub`] is the server's core: [`SyncEvent`]s in (a connection opened, a frame arrived,
//!   access decided, chunks loaded, a store confirmed, a connection gone), [`SyncEffect`]s out
//!   (frames to send, connections to close, access checks, loads, stores). It keeps one
//!   `automerge::sync::State` per (document, connection).
//!
//! Nothing here touches a socket, a database or a clock: the axum handler is a thin driver, and
//! tests run many peers on an in-memory network.
//!
//! ```
//! use app::sync::{Access, ConnId, Hub, HubLimits, Message, PeerId, SyncEffect, SyncEvent};
//!
//! let mut hub = Hub::new(PeerId("server".into()), HubLimits::default());
//! let conn = ConnId(1);
//! hub.handle(SyncEvent::Connected(conn));
//! let join = Message::Join {
//!     sender: PeerId("browser".into()),
//!     metadata: None,
//!     versions: Some(vec!["1".into()]),
//! };
//! let effects = hub.handle(SyncEvent::Frame(conn, join.encode()));
//! let SyncEffect::Send(_, frame) = &effects[0] else { panic!() };
//! assert!(matches!(Message::decode(frame), Ok(Message::Peer { .. })));
//! # let _ = Access::Read;
//! ```

pub mod client;
pub mod hub;
pub mod ids;
mod shortcut;
pub mod wire;

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod hub_tests;
#[cfg(test)]
mod testnet;

pub use client::{Client, ClientEffect, ReplicaStatus};
pub use hub::{Hub, HubLimits, SyncEffect, SyncEffects, SyncEvent};
pub use ids::{ConnId, DocumentId, PeerId};
/// `receive_sync_message` without automerge's walk over the whole history for every message.
pub use shortcut::{Replica, receive as receive_sync_message};
pub use wire::{DecodeError, Message, PeerMetadata};

/// A document from its stored chunks (snapshots and incremental changes, oldest first), read in
/// one pass: loading them one by one costs a pass over the document each (automerge moves its op
/// columns), which made a document with 500 chunks take 300 ms.
pub fn load_chunks<C: AsRef<[u8]>>(
    chunks: impl IntoIterator<Item = C>,
) -> Result<automerge::Automerge, automerge::AutomergeError> {
    let mut all = Vec::new();
    for chunk in chunks {
        all.extend_from_slice(chunk.as_ref());
    }
    let mut doc = automerge::Automerge::new();
    doc.load_incremental(&all)?;
    Ok(doc)
}

/// What one connection's user may do with one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    /// Not a member (or no such document): answered `doc-unavailable`.
    None,
    /// Managers: receive every change; their own changes are refused.
    Read,
    /// Coaches and field teams.
    Write,
}
