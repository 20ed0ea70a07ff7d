//! An in-memory network for the hub: clients holding automerge documents, a fake driver with a
//! map of access rights and an in-memory chunk store, and `run_until_quiet`. Deterministic: no
//! sockets, no sleeps, no threads.

use automerge::{
    AutoCommit, ROOT, ReadDoc,
    sync::{self, SyncDoc},
    transaction::Transactable,
};
use std::collections::{HashMap, VecDeque};

use super::*;

pub struct Client {
    pub conn: ConnId,
    pub peer: PeerId,
    pub doc: AutoCommit,
    pub state: sync::State,
    pub ready: bool,
    pub closed: bool,
    pub errors: Vec<String>,
    pub unavailable: bool,
    pub ephemeral: Vec<Vec<u8>>,
}

pub struct Net {
    pub hub: Hub,
    pub clients: Vec<Client>,
    pub document: DocumentId,
    pub access: HashMap<ConnId, Access>,
    pub store: HashMap<DocumentId, Vec<Vec<u8>>>,
    pub stores: usize,
    /// Stores to fail from now on (simulating a database error).
    pub fail_stores: bool,
    /// Effects held back by the driver (to interleave events deterministically).
    pub held: VecDeque<SyncEffect>,
    to_hub: VecDeque<SyncEvent>,
}

pub const DOC: &str = "2VzPLXwa4R41PB944FYJS46nvFdj";

impl Net {
    /// A hub and a registered document whose first change sets `title`.
    pub fn new() -> Self {
        let document = DocumentId::parse(DOC).unwrap();
        // Fixed actor ids: change hashes, and so the order of heads, are the same every run.
        let mut first = AutoCommit::new().with_actor(automerge::ActorId::from(&[0u8][..]));
        first.put(ROOT, "title", "Diagnostic").unwrap();
        let mut store = HashMap::new();
        store.insert(document.clone(), vec![first.save()]);
        Self {
            hub: Hub::new(PeerId("server".into()), HubLimits::default()),
            clients: Vec::new(),
            document,
            access: HashMap::new(),
            store,
            stores: 0,
            fail_stores: false,
            held: VecDeque::new(),
            to_hub: VecDeque::new(),
        }
    }

    /// Connects a client that joins and starts syncing the document.
    pub fn connect(&mut self, name: &str, access: Access) -> usize {
        let conn = ConnId(self.clients.len() as u64 + 1);
        self.access.insert(conn, access);
        self.clients.push(Client {
            conn,
            peer: PeerId(name.into()),
            doc: AutoCommit::new().with_actor(automerge::ActorId::from(&conn.0.to_be_bytes()[..])),
            state: sync::State::new(),
            ready: false,
            closed: false,
            errors: Vec::new(),
            unavailable: false,
            ephemeral: Vec::new(),
        });
        self.to_hub.push_back(SyncEvent::Connected(conn));
        let join = Message::Join {
            sender: PeerId(name.into()),
            metadata: None,
            versions: Some(vec!["1".into()]),
        };
        self.to_hub.push_back(SyncEvent::Frame(conn, join.encode()));
        self.clients.len() - 1
    }

    pub fn send_raw(&mut self, client: usize, frame: Vec<u8>) {
        let conn = self.clients[client].conn;
        self.to_hub.push_back(SyncEvent::Frame(conn, frame));
    }

    /// Another instance stored this chunk (and it is already in the shared store).
    pub fn changed_elsewhere(&mut self, chunk: Vec<u8>) {
        self.store
            .entry(self.document.clone())
            .or_default()
            .push(chunk.clone());
        self.to_hub.push_back(SyncEvent::ChangedElsewhere(
            self.document.clone(),
            vec![chunk],
        ));
    }

    pub fn disconnect(&mut self, client: usize) {
        self.clients[client].closed = true;
        let conn = self.clients[client].conn;
        self.to_hub.push_back(SyncEvent::Disconnected(conn));
    }

    /// The client sends whatever its sync state says the server lacks.
    pub fn sync_from(&mut self, client: usize) {
        let c = &mut self.clients[client];
        if c.closed || !c.ready {
            return;
        }
        let generated = c.doc.sync().generate_sync_message(&mut c.state);
        if let Some(m) = generated {
            self.send_sync(client, m);
        }
    }

    /// The client sends this sync message to the server.
    fn send_sync(&mut self, client: usize, m: sync::Message) {
        let frame = Message::Sync {
            document: self.document.clone(),
            sender: self.clients[client].peer.clone(),
            target: PeerId("server".into()),
            data: m.encode(),
        }
        .encode();
        self.send_raw(client, frame);
    }

    /// The client sends its last local change whatever its sync state says, as an older client
    /// that ignores the server's read-only flag would.
    pub fn force_last_change(&mut self, client: usize) {
        let c = &mut self.clients[client];
        let forced = sync::Message {
            heads: c.doc.get_heads(),
            need: vec![],
            have: vec![],
            changes: vec![c.doc.get_last_local_change().unwrap().raw_bytes().to_vec()].into(),
            flags: None,
            version: sync::MessageVersion::V1,
        };
        self.send_sync(client, forced);
    }

    pub fn edit(&mut self, client: usize, key: &str, value: &str) {
        self.clients[client].doc.put(ROOT, key, value).unwrap();
        self.clients[client].doc.commit();
        self.sync_from(client);
    }

    pub fn get(&self, client: usize, key: &str) -> Option<String> {
        self.clients[client]
            .doc
            .get(ROOT, key)
            .unwrap()
            .and_then(|(v, _)| v.into_scalar().ok())
            .and_then(|s| s.into_string().ok())
    }

    fn perform(&mut self, effect: SyncEffect) {
        match effect {
            SyncEffect::Send(conn, frame) => self.deliver_to_client(conn, frame),
            SyncEffect::Close(conn) => {
                if let Some(c) = self.clients.iter_mut().find(|c| c.conn == conn) {
                    c.closed = true;
                }
            }
            SyncEffect::Authorize(conn, doc) => {
                let access = if doc == self.document {
                    self.access.get(&conn).copied().unwrap_or(Access::None)
                } else {
                    Access::None
                };
                self.to_hub
                    .push_back(SyncEvent::Authorized(conn, doc, access));
            }
            SyncEffect::Load(doc) => {
                let chunks = self.store.get(&doc).cloned().unwrap_or_default();
                self.to_hub.push_back(SyncEvent::Loaded(doc, Ok(chunks)));
            }
            SyncEffect::Store(doc, chunk) => {
                if self.fail_stores {
                    self.to_hub
                        .push_back(SyncEvent::Stored(doc, Err("disk full".into())));
                } else {
                    self.stores += 1;
                    self.store.entry(doc.clone()).or_default().push(chunk);
                    self.to_hub.push_back(SyncEvent::Stored(doc, Ok(())));
                }
            }
        }
    }

    fn deliver_to_client(&mut self, conn: ConnId, frame: Vec<u8>) {
        let Some(i) = self.clients.iter().position(|c| c.conn == conn) else {
            return;
        };
        if self.clients[i].closed {
            return;
        }
        match Message::decode(&frame).unwrap() {
            Message::Peer { .. } => {
                self.clients[i].ready = true;
                self.sync_from(i);
            }
            Message::Sync { data, .. } => {
                let c = &mut self.clients[i];
                let m = sync::Message::decode(&data).unwrap();
                c.doc.sync().receive_sync_message(&mut c.state, m).unwrap();
                self.sync_from(i);
            }
            Message::DocUnavailable { .. } => self.clients[i].unavailable = true,
            Message::Error { message, .. } => self.clients[i].errors.push(message),
            Message::Ephemeral { data, .. } => self.clients[i].ephemeral.push(data),
            other => panic!("unexpected {other:?}"),
        }
    }

    /// Delivers everything until nothing moves. Panics after too many steps (a livelock).
    pub fn run_until_quiet(&mut self) {
        for _ in 0..100_000 {
            let Some(event) = self.to_hub.pop_front() else {
                return;
            };
            for effect in self.hub.handle(event) {
                self.perform(effect);
            }
        }
        panic!("the network did not go quiet");
    }

    /// Like `run_until_quiet`, but keeps store confirmations back in `held`.
    pub fn run_holding_stores(&mut self) {
        for _ in 0..100_000 {
            let Some(event) = self.to_hub.pop_front() else {
                return;
            };
            for effect in self.hub.handle(event) {
                match effect {
                    SyncEffect::Store(..) => self.held.push_back(effect),
                    other => self.perform(other),
                }
            }
        }
    }

    pub fn release_held(&mut self) {
        while let Some(e) = self.held.pop_front() {
            self.perform(e);
        }
    }

    /// The document as the store has it (what a restarted server would load).
    pub fn stored_doc(&self) -> automerge::Automerge {
        let mut doc = automerge::Automerge::new();
        for chunk in &self.store[&self.document] {
            doc.load_incremental(chunk).unwrap();
        }
        doc
    }
}
