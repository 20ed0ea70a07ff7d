//! The sync hub's own CPU time per change, without sockets or a database: one writer and N
//! readers on one document, every frame carried in memory and every store confirmed at once.
//! Prints, per change, the hub time to take the writer's change, to fan it out once stored,
//! and to take the readers' acknowledgements. Not a test: nothing here passes or fails.
//!
//! ```sh
//! cargo run --release -p terrain-tests --bin hub_bench            # READERS=100 ROUNDS=1000
//! ```
#![allow(clippy::unwrap_used, clippy::print_stdout)] // a benchmark that cannot set up has nothing to report

use app::sync::{
    Access, ConnId, DocumentId, Hub, HubLimits, Message, PeerId, SyncEffect, SyncEvent,
};
use automerge::{
    AutoCommit, ROOT,
    sync::{self, SyncDoc},
    transaction::Transactable,
};
use std::{
    collections::VecDeque,
    time::{Duration, Instant},
};

const DOC: &str = "2VzPLXwa4R41PB944FYJS46nvFdj";

struct Peer {
    conn: ConnId,
    name: PeerId,
    doc: AutoCommit,
    state: sync::State,
}

struct Bench {
    hub: Hub,
    peers: Vec<Peer>,
    document: DocumentId,
    first: Vec<u8>,
    /// Frames from the peers, waiting for the hub.
    inbox: VecDeque<SyncEvent>,
    /// Time spent inside `Hub::handle`.
    hub_time: Duration,
    /// Time the peers spent applying what they got and replying.
    peer_time: Duration,
    frames_out: usize,
}

impl Bench {
    fn hub(&mut self, event: SyncEvent) {
        let started = Instant::now();
        let effects = self.hub.handle(event);
        self.hub_time += started.elapsed();
        for effect in effects {
            match effect {
                SyncEffect::Send(conn, frame) => {
                    self.frames_out += 1;
                    let i = (conn.0 - 1) as usize;
                    if let Ok(Message::Sync { data, .. }) = Message::decode(&frame) {
                        let started = Instant::now();
                        let p = &mut self.peers[i];
                        p.doc
                            .sync()
                            .receive_sync_message(
                                &mut p.state,
                                sync::Message::decode(&data).unwrap(),
                            )
                            .unwrap();
                        self.reply(i);
                        self.peer_time += started.elapsed();
                    }
                }
                SyncEffect::Authorize(conn, doc) => {
                    self.inbox
                        .push_back(SyncEvent::Authorized(conn, doc, Access::Write));
                }
                SyncEffect::Load(doc) => {
                    self.inbox
                        .push_back(SyncEvent::Loaded(doc, Ok(vec![self.first.clone()])));
                }
                SyncEffect::Store(doc, _) => self.inbox.push_back(SyncEvent::Stored(doc, Ok(()))),
                SyncEffect::Close(_) => panic!("a peer was closed"),
            }
        }
    }

    fn reply(&mut self, i: usize) {
        let p = &mut self.peers[i];
        if let Some(m) = p.doc.sync().generate_sync_message(&mut p.state) {
            let frame = Message::Sync {
                document: self.document.clone(),
                sender: p.name.clone(),
                target: PeerId("server".into()),
                data: m.encode(),
            }
            .encode();
            self.inbox.push_back(SyncEvent::Frame(p.conn, frame));
        }
    }

    fn run(&mut self) {
        while let Some(event) = self.inbox.pop_front() {
            self.hub(event);
        }
    }
}

fn main() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let readers = env("READERS", 100);
    let rounds = env("ROUNDS", 1000);
    let mut first = AutoCommit::new();
    first.put(ROOT, "title", "bench").unwrap();
    let mut b = Bench {
        hub: Hub::new(PeerId("server".into()), HubLimits::default()),
        peers: Vec::new(),
        document: DocumentId::parse(DOC).unwrap(),
        first: first.save(),
        inbox: VecDeque::new(),
        hub_time: Duration::ZERO,
        peer_time: Duration::ZERO,
        frames_out: 0,
    };
    for i in 0..=readers {
        let conn = ConnId(i as u64 + 1);
        let name = PeerId(if i == 0 {
            "writer".into()
        } else {
            format!("reader{i}")
        });
        b.hub(SyncEvent::Connected(conn));
        let join = Message::Join {
            sender: name.clone(),
            metadata: None,
            versions: Some(vec!["1".into()]),
        };
        b.hub(SyncEvent::Frame(conn, join.encode()));
        b.peers.push(Peer {
            conn,
            name,
            doc: AutoCommit::new(),
            state: sync::State::new(),
        });
        b.reply(i);
        b.run();
    }
    // The three phases of one change, timed inside the hub only.
    let (mut take, mut fan, mut acks) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut peers = Duration::ZERO;
    let mut frames = 0;
    for n in 0..rounds {
        let w = &mut b.peers[0];
        w.doc.put(ROOT, format!("k{n}"), "v").unwrap();
        w.doc.commit();
        b.reply(0);
        // The writer's frame: applied, a store asked for.
        b.hub_time = Duration::ZERO;
        let frame = b.inbox.pop_front().unwrap();
        b.hub(frame);
        take += b.hub_time;
        // The store confirmed: the change goes out to everyone.
        b.hub_time = Duration::ZERO;
        b.peer_time = Duration::ZERO;
        b.frames_out = 0;
        let stored = b.inbox.pop_front().unwrap();
        b.hub(stored);
        fan += b.hub_time;
        peers += b.peer_time;
        frames += b.frames_out;
        // Everyone's acknowledgements.
        b.hub_time = Duration::ZERO;
        b.run();
        acks += b.hub_time;
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / rounds as f64;
    println!(
        "hub CPU per change, {readers} readers, {rounds} changes (history grows to {rounds}):"
    );
    println!("  take the writer's change: {:.1} µs", per(take));
    println!(
        "  fan out once stored:      {:.1} µs ({:.1} frames, {:.2} µs per reader)",
        per(fan),
        frames as f64 / rounds as f64,
        per(fan) / readers as f64
    );
    println!(
        "  readers' acknowledgements: {:.1} µs ({:.2} µs per reader)",
        per(acks),
        per(acks) / readers as f64
    );
    println!(
        "  (each reader's own work, apply and reply: {:.2} µs)",
        per(peers) / (readers + 1) as f64
    );
    let heads = b.peers[0].doc.get_heads();
    assert!(
        b.peers.iter_mut().all(|p| p.doc.get_heads() == heads),
        "converged"
    );
}
