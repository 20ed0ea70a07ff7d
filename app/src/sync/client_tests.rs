//! The browser client against the real hub, on an in-memory link: deterministic, no sockets.

use automerge::{AutoCommit, ROOT, ReadDoc, transaction::Transactable};
use std::collections::{HashMap, VecDeque};

use super::*;

const DOC: &str = "2VzPLXwa4R41PB944FYJS46nvFdj";

/// A hub with an in-memory store, and clients on numbered connections.
struct Net {
    hub: Hub,
    store: Vec<Vec<u8>>,
    access: HashMap<ConnId, Access>,
    clients: Vec<(Client, bool)>,
    effects: Vec<Vec<ClientEffect>>,
    to_hub: VecDeque<SyncEvent>,
}

impl Net {
    fn new() -> Self {
        let mut first = AutoCommit::new();
        first.put(ROOT, "title", "Diagnostic").unwrap();
        Self {
            hub: Hub::new(PeerId("server".into()), HubLimits::default()),
            store: vec![first.save()],
            access: HashMap::new(),
            clients: Vec::new(),
            effects: Vec::new(),
            to_hub: VecDeque::new(),
        }
    }

    fn doc() -> DocumentId {
        DocumentId::parse(DOC).unwrap()
    }

    fn add(&mut self, name: &str, access: Access) -> usize {
        let i = self.clients.len();
        self.clients.push((Client::new(PeerId(name.into())), false));
        self.effects.push(Vec::new());
        self.access.insert(ConnId(i as u64), access);
        i
    }

    fn connect(&mut self, i: usize) {
        let conn = ConnId(i as u64);
        self.clients[i].1 = true;
        self.to_hub.push_back(SyncEvent::Connected(conn));
        let join = self.clients[i].0.connected();
        self.to_hub.push_back(SyncEvent::Frame(conn, join));
    }

    fn disconnect(&mut self, i: usize) {
        self.clients[i].1 = false;
        self.clients[i].0.disconnected();
        self.to_hub
            .push_back(SyncEvent::Disconnected(ConnId(i as u64)));
    }

    fn client_effects(&mut self, i: usize, effects: Vec<ClientEffect>) {
        for e in effects {
            match e {
                ClientEffect::Send(frame) if self.clients[i].1 => self
                    .to_hub
                    .push_back(SyncEvent::Frame(ConnId(i as u64), frame)),
                ClientEffect::Send(_) => {}
                other => self.effects[i].push(other),
            }
        }
    }

    fn edit(&mut self, i: usize, key: &str, value: &str) {
        let doc = self.clients[i].0.doc_mut(&Self::doc()).unwrap();
        doc.put(ROOT, key, value).unwrap();
        doc.commit();
        let out = self.clients[i].0.changed_locally(&Self::doc());
        self.client_effects(i, out);
    }

    fn run_until_quiet(&mut self) {
        let mut steps = 0;
        while let Some(event) = self.to_hub.pop_front() {
            steps += 1;
            assert!(steps < 10_000, "no quiescence");
            for effect in self.hub.handle(event) {
                match effect {
                    SyncEffect::Send(conn, frame) => {
                        let i = conn.0 as usize;
                        if self.clients[i].1 {
                            let out = self.clients[i].0.frame(&frame);
                            self.client_effects(i, out);
                        }
                    }
                    SyncEffect::Close(conn) => self.clients[conn.0 as usize].1 = false,
                    SyncEffect::Authorize(conn, doc) => {
                        let access = self.access[&conn];
                        self.to_hub
                            .push_back(SyncEvent::Authorized(conn, doc, access));
                    }
                    SyncEffect::Load(doc) => self
                        .to_hub
                        .push_back(SyncEvent::Loaded(doc, Ok(self.store.clone()))),
                    SyncEffect::Store(doc, chunk) => {
                        self.store.push(chunk);
                        self.to_hub.push_back(SyncEvent::Stored(doc, Ok(())));
                    }
                }
            }
        }
    }

    fn get(&self, i: usize, key: &str) -> Option<String> {
        let doc = &self.clients[i].0.replica(&Self::doc())?.doc;
        let (v, _) = doc.get(ROOT, key).ok()??;
        v.into_scalar().ok()?.into_string().ok()
    }

    fn open(&mut self, i: usize, doc: AutoCommit, persisted: Option<Vec<u8>>) {
        let out = self.clients[i]
            .0
            .open(Self::doc(), doc, persisted.as_deref());
        self.client_effects(i, out);
    }
}

#[test]
fn two_clients_see_each_others_edits_and_pending_drops_to_zero() {
    let mut net = Net::new();
    let a = net.add("salma", Access::Write);
    let b = net.add("youssef", Access::Write);
    for i in [a, b] {
        net.open(i, AutoCommit::new(), None);
        net.connect(i);
    }
    net.run_until_quiet();
    assert_eq!(net.get(a, "title").as_deref(), Some("Diagnostic"));
    assert!(net.effects[a].contains(&ClientEffect::Ready));

    net.edit(a, "note", "bonjour");
    assert_eq!(net.clients[a].0.pending(&Net::doc()), 1);
    net.run_until_quiet();
    assert_eq!(net.get(b, "note").as_deref(), Some("bonjour"));
    assert_eq!(net.clients[a].0.pending(&Net::doc()), 0);
    assert!(net.clients[a].0.caught_up(&Net::doc()));
    assert!(net.clients[b].0.caught_up(&Net::doc()));
    assert!(net.effects[a].contains(&ClientEffect::Acknowledged(Net::doc())));
    assert!(net.effects[b].contains(&ClientEffect::Changed(Net::doc())));
}

#[test]
fn offline_edits_resync_from_the_persisted_state() {
    let mut net = Net::new();
    let a = net.add("salma", Access::Write);
    let b = net.add("youssef", Access::Write);
    for i in [a, b] {
        net.open(i, AutoCommit::new(), None);
        net.connect(i);
    }
    net.run_until_quiet();

    // Both go offline and edit; a reloads its page: document and sync state from storage.
    net.disconnect(a);
    net.disconnect(b);
    net.run_until_quiet();
    net.edit(a, "a", "1");
    net.edit(b, "b", "2");
    let saved = net.clients[a]
        .0
        .replica(&Net::doc())
        .unwrap()
        .doc
        .clone()
        .save();
    let state = net.clients[a].0.sync_state(&Net::doc()).unwrap();
    net.clients[a].0 = Client::new(PeerId("salma-2".into()));
    net.open(a, AutoCommit::load(&saved).unwrap(), Some(state));
    assert_eq!(net.clients[a].0.pending(&Net::doc()), 1);

    for i in [a, b] {
        net.connect(i);
    }
    net.run_until_quiet();
    for i in [a, b] {
        assert_eq!(net.get(i, "a").as_deref(), Some("1"));
        assert_eq!(net.get(i, "b").as_deref(), Some("2"));
        assert_eq!(net.clients[i].0.pending(&Net::doc()), 0);
    }
}

#[test]
fn the_pending_count_follows_offline_edits_one_by_one_and_merges() {
    let mut net = Net::new();
    let a = net.add("salma", Access::Write);
    let b = net.add("youssef", Access::Write);
    for i in [a, b] {
        net.open(i, AutoCommit::new(), None);
        net.connect(i);
    }
    net.run_until_quiet();
    net.disconnect(a);
    net.run_until_quiet();
    for n in 1..=40 {
        net.edit(a, &format!("k{n}"), "v");
        assert_eq!(net.clients[a].0.pending(&Net::doc()), n);
        // Asking twice changes nothing.
        assert_eq!(net.clients[a].0.pending(&Net::doc()), n);
    }
    // Meanwhile someone else's change arrives on reconnection: only a's own stay counted until
    // the server has them, then none.
    net.edit(b, "from-b", "x");
    net.run_until_quiet();
    net.connect(a);
    net.run_until_quiet();
    assert_eq!(net.clients[a].0.pending(&Net::doc()), 0);
    assert_eq!(net.get(a, "from-b").as_deref(), Some("x"));
    net.disconnect(a);
    net.edit(a, "after", "2");
    assert_eq!(net.clients[a].0.pending(&Net::doc()), 1);
}

/// The hub gives a manager a read-only sync state, so an automerge 0.12 client does not even
/// offer its changes: nothing is stored or forwarded, and the change stays pending.
#[test]
fn a_managers_changes_go_nowhere() {
    let mut net = Net::new();
    let m = net.add("nadia", Access::Read);
    let c = net.add("salma", Access::Write);
    for i in [m, c] {
        net.open(i, AutoCommit::new(), None);
        net.connect(i);
    }
    net.run_until_quiet();
    assert_eq!(net.get(m, "title").as_deref(), Some("Diagnostic"));
    net.edit(m, "x", "y");
    net.run_until_quiet();
    assert_eq!(net.store.len(), 1, "nothing stored");
    assert_eq!(net.get(c, "x"), None);
    assert_eq!(net.clients[m].0.pending(&Net::doc()), 1);
    // The coach's edits still reach the manager.
    net.edit(c, "z", "w");
    net.run_until_quiet();
    assert_eq!(net.get(m, "z").as_deref(), Some("w"));
}

/// Peers that do offer changes (JS clients) get an error naming the document.
#[test]
fn a_read_only_error_marks_the_document_refused() {
    let mut client = Client::new(PeerId("nadia".into()));
    client.open(Net::doc(), AutoCommit::new(), None);
    let error = Message::Error {
        message: format!("read-only: your changes to {} were refused", Net::doc()),
        sender: Some(PeerId("server".into())),
        target: None,
    };
    let out = client.frame(&error.encode());
    assert!(matches!(&out[..], [ClientEffect::Refused(d, _)] if *d == Net::doc()));
    assert!(matches!(
        client.replica(&Net::doc()).unwrap().status,
        ReplicaStatus::Refused(_)
    ));
}

#[test]
fn an_outsider_gets_unavailable() {
    let mut net = Net::new();
    let o = net.add("eve", Access::None);
    net.open(o, AutoCommit::new(), None);
    net.connect(o);
    net.run_until_quiet();
    assert!(net.effects[o].contains(&ClientEffect::Unavailable(Net::doc())));
}

#[test]
fn presence_reaches_the_other_peer_only() {
    let mut net = Net::new();
    let a = net.add("salma", Access::Write);
    let b = net.add("youssef", Access::Write);
    for i in [a, b] {
        net.open(i, AutoCommit::new(), None);
        net.connect(i);
    }
    net.run_until_quiet();
    let frame = net.clients[a]
        .0
        .ephemeral(&Net::doc(), b"editing actor-1".to_vec())
        .unwrap();
    net.to_hub
        .push_back(SyncEvent::Frame(ConnId(a as u64), frame));
    net.run_until_quiet();
    let got = |i: usize| {
        net.effects[i]
            .iter()
            .filter(
                |e| matches!(e, ClientEffect::Ephemeral { data, .. } if data == b"editing actor-1"),
            )
            .count()
    };
    assert_eq!((got(a), got(b)), (0, 1));
}

#[test]
fn garbage_from_the_server_is_an_error_not_a_panic() {
    let mut client = Client::new(PeerId("p".into()));
    let out = client.frame(&[0xff, 0x00, 0x13]);
    assert!(matches!(&out[..], [ClientEffect::Error(_)]));
}
