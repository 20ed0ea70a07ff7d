//! The server side of the sync protocol, sans IO: [`Hub::handle`] takes one [`SyncEvent`] and
//! returns [`SyncEffects`] for the driver to carry out (frames to send, connections to close,
//! access checks, loads and stores). No sockets, no database, no clock.
//!
//! Durability: a change's author hears nothing back about the document (no reply, so no
//! acknowledgement) until the change is committed; while the store runs, later messages for the
//! document wait in a backlog, and are then applied as one batch and stored as one chunk. The
//! other peers get the change at once, as the store starts: the design promises that nothing is
//! *acknowledged* before it is committed, and a peer that is not the author acknowledges
//! nothing by receiving it. Should the server die before the commit, the author still holds the
//! change unacknowledged and sends it again; a reader that got it may offer it too (a manager's
//! client is then told its copy was refused, until the author's arrives).

use automerge::{Automerge, ChangeHash, ReadDoc, sync};
use std::collections::{HashMap, HashSet, VecDeque};

use super::{
    Access,
    ids::{ConnId, DocumentId, PeerId},
    shortcut,
    wire::{Message, PROTOCOL_VERSION, PeerMetadata, SyncFrame},
};

/// Something that happened, for the hub to react to.
#[derive(Debug)]
pub enum SyncEvent {
    Connected(ConnId),
    Frame(ConnId, Vec<u8>),
    /// The answer to [`SyncEffect::Authorize`].
    Authorized(ConnId, DocumentId, Access),
    /// The answer to [`SyncEffect::Load`]: the stored chunks, oldest first.
    Loaded(DocumentId, Result<Vec<Vec<u8>>, String>),
    /// The answer to [`SyncEffect::Store`].
    Stored(DocumentId, Result<(), String>),
    /// Another server instance stored changes to this document: these chunks are new.
    ChangedElsewhere(DocumentId, Vec<Vec<u8>>),
    Disconnected(ConnId),
}

/// Something the driver must do.
#[derive(Debug, PartialEq)]
pub enum SyncEffect {
    Send(ConnId, Vec<u8>),
    Close(ConnId),
    /// Decide what this connection's user may do with this document; answer
    /// [`SyncEvent::Authorized`].
    Authorize(ConnId, DocumentId),
    /// Read the document's chunks; answer [`SyncEvent::Loaded`].
    Load(DocumentId),
    /// Append this chunk durably; answer [`SyncEvent::Stored`]. At most one per document is
    /// outstanding at a time.
    Store(DocumentId, Vec<u8>),
}

pub type SyncEffects = Vec<SyncEffect>;

/// Tunables.
#[derive(Clone, Debug)]
pub struct HubLimits {
    /// Largest frame accepted, in bytes.
    pub max_frame: usize,
    /// Messages kept per connection while its access to a document is being checked.
    pub max_pending: usize,
}

impl Default for HubLimits {
    fn default() -> Self {
        Self {
            max_frame: 16 * 1024 * 1024,
            max_pending: 256,
        }
    }
}

#[derive(Default)]
struct Conn {
    peer: Option<PeerId>,
    /// Known access per document, or the messages waiting for the answer.
    access: HashMap<DocumentId, AccessState>,
    /// Highest ephemeral count seen per (sender, session), to drop duplicates.
    ephemeral_seen: HashMap<(PeerId, String), u64>,
}

enum AccessState {
    Pending(Vec<Message>),
    Known(Access),
}

struct PeerDoc {
    sync: sync::State,
    access: Access,
    told_read_only: bool,
    /// The peer's changes were stored (or are being stored) and it has not heard back since.
    /// Its next message from us must carry our heads, even where its sync state says we are in
    /// step: a reply it sent meanwhile, already showing our heads, makes automerge think it
    /// knows we have its changes when it cannot.
    owed_ack: bool,
}

enum DocState {
    Loading,
    Ready {
        doc: Box<Automerge>,
        /// Heads as of the last confirmed store.
        stored: Vec<ChangeHash>,
        /// Heads being stored now, if a store is outstanding.
        storing: Option<Vec<ChangeHash>>,
    },
}

struct Doc {
    state: DocState,
    peers: HashMap<ConnId, PeerDoc>,
    /// Messages waiting for the load or for an outstanding store.
    backlog: VecDeque<(ConnId, Message)>,
    /// Connections that asked for the document and were told it is unavailable.
    unavailable_sent: HashSet<ConnId>,
    /// The document changed since sync messages were last generated, so every peer may need
    /// one; otherwise only the peers whose messages were just applied can.
    changed_for_all: bool,
}

/// The server's sync core: every connection and every open document.
pub struct Hub {
    me: PeerId,
    limits: HubLimits,
    conns: HashMap<ConnId, Conn>,
    docs: HashMap<DocumentId, Doc>,
}

fn error(message: impl Into<String>, me: &PeerId, target: Option<&PeerId>) -> Vec<u8> {
    Message::Error {
        message: message.into(),
        sender: Some(me.clone()),
        target: target.cloned(),
    }
    .encode()
}

impl Hub {
    pub fn new(me: PeerId, limits: HubLimits) -> Self {
        Self {
            me,
            limits,
            conns: HashMap::new(),
            docs: HashMap::new(),
        }
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.me
    }

    /// Documents held in memory (open by someone, or loading, or storing).
    pub fn open_documents(&self) -> usize {
        self.docs.len()
    }

    pub fn connections(&self) -> usize {
        self.conns.len()
    }

    /// The in-memory document, if loaded (for tests and read models).
    pub fn document(&self, id: &DocumentId) -> Option<&Automerge> {
        match self.docs.get(id).map(|d| &d.state) {
            Some(DocState::Ready { doc, .. }) => Some(doc),
            _ => None,
        }
    }

    pub fn handle(&mut self, event: SyncEvent) -> SyncEffects {
        let mut out = Vec::new();
        match event {
            SyncEvent::Connected(conn) => {
                self.conns.insert(conn, Conn::default());
            }
            SyncEvent::Frame(conn, frame) => self.on_frame(conn, &frame, &mut out),
            SyncEvent::Authorized(conn, doc, access) => {
                self.on_authorized(conn, doc, access, &mut out)
            }
            SyncEvent::Loaded(doc, chunks) => self.on_loaded(doc, chunks, &mut out),
            SyncEvent::Stored(doc, result) => self.on_stored(doc, result, &mut out),
            SyncEvent::ChangedElsewhere(doc, chunks) => {
                self.on_changed_elsewhere(doc, chunks, &mut out)
            }
            SyncEvent::Disconnected(conn) => self.drop_conn(conn),
        }
        out
    }

    fn fail(&mut self, conn: ConnId, why: &str, out: &mut SyncEffects) {
        let target = peer_of(&self.conns, &conn).cloned();
        out.push(SyncEffect::Send(
            conn,
            error(why, &self.me, target.as_ref()),
        ));
        out.push(SyncEffect::Close(conn));
        self.drop_conn(conn);
    }

    fn drop_conn(&mut self, conn: ConnId) {
        self.conns.remove(&conn);
        let mut idle = Vec::new();
        for (id, doc) in &mut self.docs {
            doc.peers.remove(&conn);
            doc.unavailable_sent.remove(&conn);
            doc.backlog.retain(|(c, _)| *c != conn);
            let busy = matches!(doc.state, DocState::Loading)
                || matches!(
                    doc.state,
                    DocState::Ready {
                        storing: Some(_),
                        ..
                    }
                );
            if doc.peers.is_empty() && doc.backlog.is_empty() && !busy {
                idle.push(id.clone());
            }
        }
        // Idle documents leave memory; the database has everything.
        for id in idle {
            self.docs.remove(&id);
        }
    }

    fn on_frame(&mut self, conn: ConnId, frame: &[u8], out: &mut SyncEffects) {
        if !self.conns.contains_key(&conn) {
            return;
        }
        if frame.len() > self.limits.max_frame {
            return self.fail(conn, "message too large", out);
        }
        let message = match Message::decode(frame) {
            Ok(m) => m,
            Err(e) => return self.fail(conn, &format!("malformed message: {e}"), out),
        };
        let Some(state) = self.conns.get_mut(&conn) else {
            return;
        };
        let Some(peer) = state.peer.clone() else {
            return match message {
                Message::Join {
                    sender, versions, ..
                } => {
                    let speaks_v1 = versions
                        .as_ref()
                        .is_none_or(|v| v.iter().any(|s| s == PROTOCOL_VERSION));
                    if !speaks_v1 {
                        return self.fail(conn, "unsupported protocol version", out);
                    }
                    state.peer = Some(sender.clone());
                    out.push(SyncEffect::Send(
                        conn,
                        Message::Peer {
                            sender: self.me.clone(),
                            target: sender,
                            metadata: Some(PeerMetadata {
                                storage_id: None,
                                is_ephemeral: true,
                            }),
                            selected_version: PROTOCOL_VERSION.into(),
                        }
                        .encode(),
                    ));
                }
                _ => self.fail(conn, "expected a join message first", out),
            };
        };
        match &message {
            Message::Join { .. } | Message::Peer { .. } => {
                return self.fail(conn, "unexpected join or peer message", out);
            }
            Message::Leave { .. } | Message::Error { .. } => {
                out.push(SyncEffect::Close(conn));
                return self.drop_conn(conn);
            }
            Message::RemoteSubscriptionChange { .. } | Message::RemoteHeadsChanged { .. } => return,
            Message::DocUnavailable { .. } => return,
            // Ephemeral messages keep their original author when relayed, so only sync checks.
            Message::Request { sender, .. } | Message::Sync { sender, .. } if *sender != peer => {
                return self.fail(conn, "senderId does not match the joined peer", out);
            }
            _ => {}
        }
        let Some(doc) = message.document().cloned() else {
            return;
        };
        self.route(conn, doc, message, out);
    }

    /// Holds a document message until this connection's access to the document is known.
    fn route(&mut self, conn: ConnId, doc: DocumentId, message: Message, out: &mut SyncEffects) {
        let max_pending = self.limits.max_pending;
        let Some(state) = self.conns.get_mut(&conn) else {
            return;
        };
        match state.access.get_mut(&doc) {
            None => {
                state
                    .access
                    .insert(doc.clone(), AccessState::Pending(vec![message]));
                out.push(SyncEffect::Authorize(conn, doc));
            }
            Some(AccessState::Pending(waiting)) => {
                if waiting.len() >= max_pending {
                    return self.fail(conn, "too many messages before access was decided", out);
                }
                waiting.push(message);
            }
            Some(AccessState::Known(access)) => {
                let access = *access;
                self.deliver(conn, doc, access, message, out);
            }
        }
    }

    fn on_authorized(
        &mut self,
        conn: ConnId,
        doc: DocumentId,
        access: Access,
        out: &mut SyncEffects,
    ) {
        let Some(state) = self.conns.get_mut(&conn) else {
            return;
        };
        let waiting = match state.access.insert(doc.clone(), AccessState::Known(access)) {
            Some(AccessState::Pending(waiting)) => waiting,
            _ => Vec::new(),
        };
        for message in waiting {
            self.deliver(conn, doc.clone(), access, message, out);
        }
    }

    fn unavailable(&self, conn: ConnId, doc: &DocumentId) -> Option<SyncEffect> {
        let target = peer_of(&self.conns, &conn)?.clone();
        Some(SyncEffect::Send(
            conn,
            Message::DocUnavailable {
                document: doc.clone(),
                sender: self.me.clone(),
                target,
            }
            .encode(),
        ))
    }

    fn deliver(
        &mut self,
        conn: ConnId,
        id: DocumentId,
        access: Access,
        message: Message,
        out: &mut SyncEffects,
    ) {
        if access == Access::None {
            // Outsiders learn nothing, not even that the document exists.
            if matches!(message, Message::Request { .. } | Message::Sync { .. }) {
                out.extend(self.unavailable(conn, &id));
            }
            return;
        }
        if let Message::Ephemeral { .. } = message {
            return self.relay_ephemeral(conn, &id, message, out);
        }
        let doc = self.docs.entry(id.clone()).or_insert_with(|| {
            out.push(SyncEffect::Load(id.clone()));
            Doc {
                state: DocState::Loading,
                peers: HashMap::new(),
                backlog: VecDeque::new(),
                unavailable_sent: HashSet::new(),
                changed_for_all: false,
            }
        });
        doc.peers.entry(conn).or_insert_with(|| PeerDoc {
            sync: if access == Access::Read {
                sync::State::new_read_only()
            } else {
                sync::State::new()
            },
            access,
            told_read_only: false,
            owed_ack: false,
        });
        doc.backlog.push_back((conn, message));
        self.drain(&id, out);
    }

    /// Applies waiting messages unless the document is loading or a store is outstanding; then
    /// either starts a store (changes arrived) or sends what every peer needs.
    fn drain(&mut self, id: &DocumentId, out: &mut SyncEffects) {
        let me = self.me.clone();
        let Some(doc) = self.docs.get_mut(id) else {
            return;
        };
        let DocState::Ready {
            doc: automerge,
            stored,
            storing,
        } = &mut doc.state
        else {
            return;
        };
        if storing.is_some() {
            return;
        }
        let mut failed = Vec::new();
        let mut requested_empty = Vec::new();
        let mut touched = HashSet::new();
        let backlog: Vec<_> = doc
            .backlog
            .drain(..)
            .filter_map(|(conn, message)| match message {
                Message::Sync { data, .. } => Some((conn, sync::Message::decode(&data), false)),
                Message::Request { data, .. } => Some((conn, sync::Message::decode(&data), true)),
                _ => None,
            })
            .collect();
        // Changes that arrived while a store was running are applied in one batch: applying
        // them one message at a time costs a pass over the document each. The messages then go
        // through the sync states as usual, finding their changes already there. Should the
        // batch be refused, nothing is lost: each message then applies its own changes and
        // the culprit alone is told.
        //
        // When the batch leaves nothing missing, only each peer's last message has to go
        // through its sync state: it says everything the earlier ones said (heads, needs, what
        // it has), and each pass parses its changes again. Otherwise every message goes
        // through, as it came.
        let mut writers_changes = Vec::new();
        let mut writer_heads = Vec::new();
        let mut last_of = HashMap::new();
        for (i, (conn, decoded, _)) in backlog.iter().enumerate() {
            let Ok(m) = decoded else { continue };
            last_of.insert(*conn, i);
            if doc
                .peers
                .get(conn)
                .is_some_and(|p| p.access == Access::Write)
            {
                for chunk in m.changes.iter() {
                    writers_changes.extend_from_slice(chunk);
                }
                writer_heads.extend_from_slice(&m.heads);
            }
        }
        let batched = backlog.len() > 1
            && (writers_changes.is_empty() || automerge.load_incremental(&writers_changes).is_ok());
        if !batched || !automerge.get_missing_deps(&writer_heads).is_empty() {
            last_of.clear();
        }
        let mut heads = automerge.get_heads();
        // Peers whose changes this batch holds: they hear back only once the store is done.
        let mut authors = HashSet::new();
        for (i, (conn, decoded, is_request)) in backlog.into_iter().enumerate() {
            let Some(peer) = doc.peers.get_mut(&conn) else {
                continue;
            };
            let decoded = match decoded {
                Ok(m) => m,
                Err(e) => {
                    failed.push((conn, format!("malformed sync message: {e}")));
                    continue;
                }
            };
            if peer.access == Access::Read && !decoded.changes.is_empty() && !peer.told_read_only {
                peer.told_read_only = true;
                let target = peer_of(&self.conns, &conn).cloned();
                out.push(SyncEffect::Send(
                    conn,
                    error(
                        format!("read-only: your changes to {id} were refused; managers can read but not edit"),
                        &me,
                        target.as_ref(),
                    ),
                ));
            }
            if peer.access == Access::Write && !decoded.changes.is_empty() {
                authors.insert(conn);
                peer.owed_ack = true;
            }
            let superseded = last_of.get(&conn).is_some_and(|&last| last != i);
            if !superseded {
                if let Some(decoded) = shortcut::acknowledge(&mut peer.sync, decoded, &heads) {
                    let received = shortcut::receive(&mut **automerge, &mut peer.sync, decoded);
                    heads = automerge.get_heads();
                    if let Err(e) = received {
                        failed.push((conn, format!("sync message refused: {e}")));
                        continue;
                    }
                }
                // An acknowledgement of everything usually leaves nothing to answer.
                if !shortcut::nothing_to_say(&peer.sync, &heads) {
                    touched.insert(conn);
                }
            }
            if is_request && heads.is_empty() {
                requested_empty.push(conn);
            }
        }
        if heads != *stored {
            let chunk = automerge.save_after(stored);
            *storing = Some(heads);
            out.push(SyncEffect::Store(id.clone(), chunk));
            // Everyone but the authors gets the change now (see the module's doc).
            send_sync_messages(
                &me,
                id,
                automerge,
                &mut doc.peers,
                &self.conns,
                |conn, _| !authors.contains(conn),
                out,
            );
        } else {
            // A peer whose sync state did not move and a document that did not change have
            // nothing new to say to each other: asking would make every acknowledgement cost a
            // pass over every peer (quadratic fan-out).
            let everyone = std::mem::take(&mut doc.changed_for_all);
            send_sync_messages(
                &me,
                id,
                automerge,
                &mut doc.peers,
                &self.conns,
                |conn, peer| everyone || peer.owed_ack || touched.contains(conn),
                out,
            );
            for conn in requested_empty {
                if doc.unavailable_sent.insert(conn)
                    && let Some(target) = peer_of(&self.conns, &conn).cloned()
                {
                    out.push(SyncEffect::Send(
                        conn,
                        Message::DocUnavailable {
                            document: id.clone(),
                            sender: me.clone(),
                            target,
                        }
                        .encode(),
                    ));
                }
            }
        }
        for (conn, why) in failed {
            self.fail(conn, &why, out);
        }
    }

    fn on_loaded(
        &mut self,
        id: DocumentId,
        chunks: Result<Vec<Vec<u8>>, String>,
        out: &mut SyncEffects,
    ) {
        let Some(doc) = self.docs.get_mut(&id) else {
            return;
        };
        let loaded = chunks.and_then(|chunks| {
            super::load_chunks(&chunks).map_err(|e| format!("stored chunks unreadable: {e}"))
        });
        match loaded {
            Ok(automerge) => {
                let stored = automerge.get_heads();
                doc.state = DocState::Ready {
                    doc: Box::new(automerge),
                    stored,
                    storing: None,
                };
                doc.changed_for_all = true;
                self.drain(&id, out);
            }
            Err(why) => self.abandon(&id, &format!("cannot load the document: {why}"), out),
        }
    }

    /// Drops a document from memory and tells and disconnects everyone on it: the database is
    /// the truth, and their clients will resync on reconnect.
    fn abandon(&mut self, id: &DocumentId, why: &str, out: &mut SyncEffects) {
        let Some(doc) = self.docs.remove(id) else {
            return;
        };
        let mut conns: Vec<ConnId> = doc.peers.keys().copied().collect();
        conns.extend(doc.backlog.iter().map(|(c, _)| *c));
        conns.sort();
        conns.dedup();
        for conn in conns {
            self.fail(conn, why, out);
        }
    }

    fn on_stored(&mut self, id: DocumentId, result: Result<(), String>, out: &mut SyncEffects) {
        match result {
            Ok(()) => {
                // Only the authors of what was stored have something new to hear: everyone
                // else was sent the change as the store started (asking every peer again cost
                // a pass over all of them per change).
                if let Some(Doc {
                    state:
                        DocState::Ready {
                            stored, storing, ..
                        },
                    ..
                }) = self.docs.get_mut(&id)
                    && let Some(heads) = storing.take()
                {
                    *stored = heads;
                }
                self.drain(&id, out);
                self.evict_if_idle(&id);
            }
            Err(why) => self.abandon(&id, &format!("could not save your changes: {why}"), out),
        }
    }

    fn on_changed_elsewhere(
        &mut self,
        id: DocumentId,
        chunks: Vec<Vec<u8>>,
        out: &mut SyncEffects,
    ) {
        let Some(Doc {
            state: DocState::Ready { doc, stored, .. },
            changed_for_all,
            ..
        }) = self.docs.get_mut(&id)
        else {
            return;
        };
        let before = doc.get_heads();
        if let Err(e) = doc.load_incremental(&chunks.concat()) {
            let why = format!("cannot read a change stored elsewhere: {e}");
            return self.abandon(&id, &why, out);
        }
        let after = doc.get_heads();
        if before != after {
            // Already durable: it came from the database.
            if *stored == before {
                *stored = after;
            }
            *changed_for_all = true;
            self.drain(&id, out);
        }
    }

    fn evict_if_idle(&mut self, id: &DocumentId) {
        if let Some(doc) = self.docs.get(id)
            && doc.peers.is_empty()
            && doc.backlog.is_empty()
            && matches!(doc.state, DocState::Ready { storing: None, .. })
        {
            self.docs.remove(id);
        }
    }

    fn relay_ephemeral(
        &mut self,
        conn: ConnId,
        id: &DocumentId,
        message: Message,
        out: &mut SyncEffects,
    ) {
        let Message::Ephemeral {
            document,
            sender,
            count,
            session,
            data,
            ..
        } = message
        else {
            return;
        };
        let Some(state) = self.conns.get_mut(&conn) else {
            return;
        };
        let seen = state
            .ephemeral_seen
            .entry((sender.clone(), session.clone()))
            .or_insert(0);
        if count <= *seen && *seen != 0 {
            return;
        }
        *seen = count;
        let Some(doc) = self.docs.get(id) else {
            return;
        };
        for other in doc.peers.keys().filter(|c| **c != conn) {
            let Some(target) = peer_of(&self.conns, other).cloned() else {
                continue;
            };
            out.push(SyncEffect::Send(
                *other,
                Message::Ephemeral {
                    document: document.clone(),
                    sender: sender.clone(),
                    target,
                    count,
                    session: session.clone(),
                    data: data.clone(),
                }
                .encode(),
            ));
        }
    }
}

/// Generates a sync message for each peer `wanted` admits that has something to hear (a peer
/// owed an acknowledgement always has), and queues it. Peers in step share one generation (see
/// [`shortcut::Generations`]) and one encoding (see [`SyncFrame`]).
fn send_sync_messages(
    me: &PeerId,
    id: &DocumentId,
    automerge: &Automerge,
    peers: &mut HashMap<ConnId, PeerDoc>,
    conns: &HashMap<ConnId, Conn>,
    wanted: impl Fn(&ConnId, &PeerDoc) -> bool,
    out: &mut SyncEffects,
) {
    let mut generations = shortcut::Generations::default();
    for (conn, peer) in peers.iter_mut() {
        if !wanted(conn, peer) {
            continue;
        }
        if std::mem::take(&mut peer.owed_ack) {
            // Forget what we last told it, so that automerge tells it our heads again.
            peer.sync.last_sent_heads.clear();
        }
        let frame = generations.generate(automerge, &mut peer.sync, |m| {
            SyncFrame::new(id, me, &m.encode())
        });
        if let (Some(frame), Some(target)) = (frame, peer_of(conns, conn)) {
            out.push(SyncEffect::Send(*conn, frame.to(target)));
        }
    }
}

/// The peer id a connection joined with.
fn peer_of<'a>(conns: &'a HashMap<ConnId, Conn>, conn: &ConnId) -> Option<&'a PeerId> {
    conns.get(conn).and_then(|c| c.peer.as_ref())
}
