//! The browser's side of the sync protocol, sans IO: one connection to the server, any number
//! of open documents, each an automerge document with its `sync::State`.
//!
//! The driver calls [`Client::connected`] when the socket opens (and sends the `join` it
//! returns), [`Client::frame`] for every binary frame, [`Client::changed_locally`] after a local
//! edit, and [`Client::disconnected`] when the socket drops; it carries out the
//! [`ClientEffect`]s. On reconnection each document's sync state restarts from its persisted
//! form (the shared heads), so only what the server lacks is exchanged again.

use automerge::{
    AutoCommit, ChangeHash,
    sync::{self, SyncDoc},
};
use std::collections::BTreeMap;

use super::{
    ids::{DocumentId, PeerId},
    wire::{Message, PROTOCOL_VERSION},
};

/// What the driver must do or show.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientEffect {
    /// Send this frame to the server.
    Send(Vec<u8>),
    /// The handshake completed.
    Ready,
    /// The document changed with changes from elsewhere: persist and re-render.
    Changed(DocumentId),
    /// The server confirmed more of our changes: persist the sync state, update "pending".
    Acknowledged(DocumentId),
    /// Neither the server nor anyone it knows has the document, or we may not read it.
    Unavailable(DocumentId),
    /// The server refused our changes (read-only access).
    Refused(DocumentId, String),
    /// The server reported an error.
    Error(String),
    /// Presence data from another peer.
    Ephemeral {
        document: DocumentId,
        sender: PeerId,
        data: Vec<u8>,
    },
}

/// Where one document stands with the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplicaStatus {
    /// Not yet heard from the server on this connection.
    Waiting,
    /// The server answered at least once.
    Live,
    Unavailable,
    Refused(String),
}

/// One open document.
pub struct Replica {
    pub doc: AutoCommit,
    sync: sync::State,
    /// Whether something was sent about it on this connection.
    announced: bool,
    pub status: ReplicaStatus,
    /// The last pending count with the shared heads and heads it was computed for, so that
    /// each offline edit adds its own changes instead of recounting everything unshared.
    pending_count: Option<(Vec<ChangeHash>, Vec<ChangeHash>, usize)>,
}

pub struct Client {
    me: PeerId,
    server: Option<PeerId>,
    replicas: BTreeMap<DocumentId, Replica>,
    session: String,
    ephemeral_count: u64,
}

impl Client {
    pub fn new(me: PeerId) -> Self {
        let session = format!("{}-{}", me.0, automerge::ActorId::random().to_hex_string());
        Self {
            me,
            server: None,
            replicas: BTreeMap::new(),
            session,
            ephemeral_count: 0,
        }
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.me
    }

    /// Whether the handshake with the server is complete.
    pub fn is_connected(&self) -> bool {
        self.server.is_some()
    }

    /// The socket opened: the `join` frame to send.
    pub fn connected(&mut self) -> Vec<u8> {
        self.server = None;
        Message::Join {
            sender: self.me.clone(),
            metadata: None,
            versions: Some(vec![PROTOCOL_VERSION.to_owned()]),
        }
        .encode()
    }

    /// The socket closed: sync states go back to what a persisted state knows.
    pub fn disconnected(&mut self) {
        self.server = None;
        for replica in self.replicas.values_mut() {
            replica.sync = restart(&replica.sync);
            replica.announced = false;
            if replica.status == ReplicaStatus::Live {
                replica.status = ReplicaStatus::Waiting;
            }
        }
    }

    /// Opens a document (empty, or loaded from local storage) with its persisted sync state.
    pub fn open(
        &mut self,
        id: DocumentId,
        doc: AutoCommit,
        persisted: Option<&[u8]>,
    ) -> Vec<ClientEffect> {
        let sync = persisted
            .and_then(|bytes| sync::State::decode(bytes).ok())
            .unwrap_or_default();
        self.replicas.insert(
            id.clone(),
            Replica {
                doc,
                sync,
                announced: false,
                status: ReplicaStatus::Waiting,
                pending_count: None,
            },
        );
        self.push(&id)
    }

    pub fn close(&mut self, id: &DocumentId) {
        self.replicas.remove(id);
    }

    pub fn replica(&self, id: &DocumentId) -> Option<&Replica> {
        self.replicas.get(id)
    }

    pub fn doc_mut(&mut self, id: &DocumentId) -> Option<&mut AutoCommit> {
        self.replicas.get_mut(id).map(|r| &mut r.doc)
    }

    /// The sync state to persist: only the shared heads survive a reconnection.
    pub fn sync_state(&self, id: &DocumentId) -> Option<Vec<u8>> {
        self.replicas.get(id).map(|r| r.sync.encode())
    }

    /// Heads both sides are known to have.
    pub fn shared_heads(&self, id: &DocumentId) -> Vec<ChangeHash> {
        self.replicas
            .get(id)
            .map(|r| r.sync.shared_heads.clone())
            .unwrap_or_default()
    }

    /// How many changes the server has not confirmed. Changes from the server are confirmed as
    /// they arrive, so these are ours (from this page or an earlier one, whose actor id differs).
    pub fn pending(&mut self, id: &DocumentId) -> usize {
        let Some(replica) = self.replicas.get_mut(id) else {
            return 0;
        };
        let shared = replica.sync.shared_heads.clone();
        let heads = replica.doc.get_heads();
        let count = match &replica.pending_count {
            Some((s, h, n)) if *s == shared && *h == heads => *n,
            // The document only grows: what is new since `h` is new since the last count.
            Some((s, h, n)) if *s == shared => n + replica.doc.get_changes_meta(h).len(),
            _ => replica.doc.get_changes_meta(&shared).len(),
        };
        replica.pending_count = Some((shared, heads, count));
        count
    }

    /// Whether this side has everything the server last said it has (its heads are all here).
    pub fn caught_up(&mut self, id: &DocumentId) -> bool {
        let Some(replica) = self.replicas.get_mut(id) else {
            return false;
        };
        match &replica.sync.their_heads {
            Some(heads) => heads
                .iter()
                .all(|h| replica.doc.get_change_by_hash(h).is_some()),
            None => false,
        }
    }

    /// After a local edit (committed): what to send.
    pub fn changed_locally(&mut self, id: &DocumentId) -> Vec<ClientEffect> {
        self.push(id)
    }

    /// Presence data for the document's other peers (through the server).
    pub fn ephemeral(&mut self, id: &DocumentId, data: Vec<u8>) -> Option<Vec<u8>> {
        let server = self.server.clone()?;
        self.ephemeral_count += 1;
        Some(
            Message::Ephemeral {
                document: id.clone(),
                sender: self.me.clone(),
                target: server,
                count: self.ephemeral_count,
                session: self.session.clone(),
                data,
            }
            .encode(),
        )
    }

    fn push(&mut self, id: &DocumentId) -> Vec<ClientEffect> {
        let Some(server) = self.server.clone() else {
            return Vec::new();
        };
        let Some(replica) = self.replicas.get_mut(id) else {
            return Vec::new();
        };
        if matches!(replica.status, ReplicaStatus::Unavailable) {
            return Vec::new();
        }
        let Some(message) = replica.doc.sync().generate_sync_message(&mut replica.sync) else {
            return Vec::new();
        };
        // A peer that has nothing asks with `request`, so the server may answer
        // doc-unavailable; afterwards it is plain `sync`.
        let data = message.encode();
        let frame = if !replica.announced && replica.doc.get_heads().is_empty() {
            Message::Request {
                document: id.clone(),
                sender: self.me.clone(),
                target: server,
                data,
            }
        } else {
            Message::Sync {
                document: id.clone(),
                sender: self.me.clone(),
                target: server,
                data,
            }
        };
        replica.announced = true;
        vec![ClientEffect::Send(frame.encode())]
    }

    /// A frame from the server.
    pub fn frame(&mut self, bytes: &[u8]) -> Vec<ClientEffect> {
        let message = match Message::decode(bytes) {
            Ok(m) => m,
            Err(e) => return vec![ClientEffect::Error(format!("malformed frame: {e}"))],
        };
        match message {
            Message::Peer { sender, .. } => {
                self.server = Some(sender);
                let mut out = vec![ClientEffect::Ready];
                let ids: Vec<DocumentId> = self.replicas.keys().cloned().collect();
                for id in ids {
                    out.extend(self.push(&id));
                }
                out
            }
            Message::Sync { document, data, .. } | Message::Request { document, data, .. } => {
                self.sync(document, &data)
            }
            Message::DocUnavailable { document, .. } => {
                if let Some(r) = self.replicas.get_mut(&document) {
                    r.status = ReplicaStatus::Unavailable;
                }
                vec![ClientEffect::Unavailable(document)]
            }
            Message::Error { message, .. } => {
                let refused = message.starts_with("read-only");
                let mut out = Vec::new();
                if refused {
                    for (id, r) in &mut self.replicas {
                        if message.contains(id.as_str()) {
                            r.status = ReplicaStatus::Refused(message.clone());
                            out.push(ClientEffect::Refused(id.clone(), message.clone()));
                        }
                    }
                }
                if out.is_empty() {
                    out.push(ClientEffect::Error(message));
                }
                out
            }
            Message::Ephemeral {
                document,
                sender,
                data,
                ..
            } => vec![ClientEffect::Ephemeral {
                document,
                sender,
                data,
            }],
            _ => Vec::new(),
        }
    }

    fn sync(&mut self, id: DocumentId, data: &[u8]) -> Vec<ClientEffect> {
        let Some(replica) = self.replicas.get_mut(&id) else {
            return Vec::new();
        };
        let message = match sync::Message::decode(data) {
            Ok(m) => m,
            Err(e) => return vec![ClientEffect::Error(format!("malformed sync message: {e}"))],
        };
        let heads = replica.doc.get_heads();
        let shared = replica.sync.shared_heads.clone();
        // Without automerge's walk over the whole history for every message that arrives.
        if let Err(e) = super::shortcut::receive(&mut replica.doc, &mut replica.sync, message) {
            return vec![ClientEffect::Error(format!("sync message refused: {e}"))];
        }
        if replica.status == ReplicaStatus::Waiting {
            replica.status = ReplicaStatus::Live;
        }
        let mut out = Vec::new();
        if replica.doc.get_heads() != heads {
            out.push(ClientEffect::Changed(id.clone()));
        }
        if replica.sync.shared_heads != shared {
            out.push(ClientEffect::Acknowledged(id.clone()));
        }
        out.extend(self.push(&id));
        out
    }
}

/// A sync state as it would be after being persisted and loaded: what was sent on the old
/// connection is forgotten, the shared heads are kept.
fn restart(state: &sync::State) -> sync::State {
    sync::State::decode(&state.encode()).unwrap_or_default()
}
