//! Multi-peer behaviour of the hub on the in-memory network.

use automerge::ReadDoc;

use super::{testnet::Net, *};

#[test]
fn two_writers_converge_through_the_server_and_everything_is_stored() {
    let mut net = Net::new();
    let a = net.connect("coach-a", Access::Write);
    let b = net.connect("coach-b", Access::Write);
    net.run_until_quiet();
    assert_eq!(net.get(a, "title").as_deref(), Some("Diagnostic"));
    assert_eq!(net.get(b, "title").as_deref(), Some("Diagnostic"));

    net.edit(a, "core_problem", "Chômage des jeunes");
    net.edit(b, "swot", "Forces : coopératives");
    net.run_until_quiet();
    for c in [a, b] {
        assert_eq!(
            net.get(c, "core_problem").as_deref(),
            Some("Chômage des jeunes")
        );
        assert_eq!(net.get(c, "swot").as_deref(), Some("Forces : coopératives"));
    }
    let heads_a = net.clients[a].doc.get_heads();
    assert_eq!(heads_a, net.clients[b].doc.get_heads());
    assert_eq!(
        net.stored_doc().get_heads(),
        heads_a,
        "the store has every change"
    );
}

#[test]
fn nothing_is_acknowledged_before_it_is_stored_but_the_others_get_it_at_once() {
    let mut net = Net::new();
    let a = net.connect("coach-a", Access::Write);
    let b = net.connect("coach-b", Access::Write);
    let m = net.connect("manager", Access::Read);
    net.run_until_quiet();
    net.edit(a, "note", "v1");
    net.run_holding_stores();
    // The store is outstanding: the writer has not heard back, the others already have it.
    assert_eq!(net.held.len(), 1);
    let heads = net.clients[a].doc.get_heads();
    assert!(
        net.clients[a].state.shared_heads != heads,
        "not acknowledged yet"
    );
    for c in [b, m] {
        assert_eq!(net.get(c, "note").as_deref(), Some("v1"), "client {c}");
    }
    // More edits meanwhile wait, then go into the next store as one batch; while that one is
    // outstanding its two authors hear nothing, not even of each other's change.
    net.edit(a, "note2", "v2");
    net.edit(b, "note3", "v3");
    net.run_holding_stores();
    assert_eq!(net.held.len(), 1, "one store at a time per document");
    assert_eq!(net.get(m, "note2"), None, "waits for the first store");
    assert!(
        net.clients[a].state.shared_heads != heads,
        "still not acknowledged"
    );
    net.release_held();
    net.run_holding_stores();
    assert_eq!(net.held.len(), 1, "the batch is being stored");
    assert!(
        net.clients[a].state.shared_heads != heads,
        "a is an author of the batch too: nothing back until it is stored"
    );
    assert_eq!(net.get(a, "note3"), None, "b's change waits for the store");
    assert_eq!(net.get(b, "note2"), None, "a's change waits for the store");
    assert_eq!(net.get(m, "note2").as_deref(), Some("v2"));
    assert_eq!(net.get(m, "note3").as_deref(), Some("v3"));
    net.release_held();
    net.run_until_quiet();
    assert_eq!(net.get(b, "note2").as_deref(), Some("v2"));
    assert_eq!(net.get(a, "note3").as_deref(), Some("v3"));
    let stored = net.stored_doc().get_heads();
    for c in [a, b, m] {
        assert_eq!(net.clients[c].doc.get_heads(), stored, "client {c}");
    }
    assert_eq!(net.clients[a].state.shared_heads, stored);
}

#[test]
fn an_author_that_replied_meanwhile_is_still_told_its_change_is_stored() {
    let mut net = Net::new();
    let a = net.connect("coach-a", Access::Write);
    let b = net.connect("coach-b", Access::Write);
    net.run_until_quiet();
    // b's change is stored first and reaches a at once; a's own change, sent before, waits.
    // a's reply to b's change then shows the server's heads as a has them, its own change
    // included: automerge alone would take the two sides to be in step, and a would never
    // hear that its change is stored.
    net.edit(b, "b", "1");
    net.edit(a, "a", "1");
    net.run_holding_stores();
    assert_eq!(
        net.get(a, "b").as_deref(),
        Some("1"),
        "b's change came early"
    );
    net.release_held();
    net.run_until_quiet();
    let stored = net.stored_doc().get_heads();
    for c in [a, b] {
        assert_eq!(net.clients[c].doc.get_heads(), stored, "client {c}");
        assert_eq!(
            net.clients[c].state.shared_heads, stored,
            "client {c} knows everything it wrote is stored"
        );
    }
}

#[test]
fn a_failed_store_tells_the_writers_and_drops_the_document_from_memory() {
    let mut net = Net::new();
    let a = net.connect("coach-a", Access::Write);
    net.run_until_quiet();
    net.fail_stores = true;
    net.edit(a, "note", "lost?");
    net.run_until_quiet();
    assert!(
        net.clients[a]
            .errors
            .iter()
            .any(|e| e.contains("could not save"))
    );
    assert!(net.clients[a].closed);
    assert_eq!(net.hub.open_documents(), 0);
    // The change was never acknowledged; the client still holds it and resends it later.
    assert_eq!(net.get(a, "note").as_deref(), Some("lost?"));
    assert!(
        net.stored_doc()
            .get(automerge::ROOT, "note")
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_manager_reads_but_their_changes_are_refused_and_not_forwarded() {
    let mut net = Net::new();
    let coach = net.connect("coach", Access::Write);
    let manager = net.connect("manager", Access::Read);
    net.run_until_quiet();
    net.edit(coach, "status", "en cours");
    net.run_until_quiet();
    assert_eq!(
        net.get(manager, "status").as_deref(),
        Some("en cours"),
        "reads work"
    );

    // An automerge 0.12 client learns from the server's read-only flag and never sends its
    // local edits: nothing to refuse, nothing queued.
    let stores = net.stores;
    net.edit(manager, "status", "annulé");
    net.run_until_quiet();
    assert_eq!(
        net.get(coach, "status").as_deref(),
        Some("en cours"),
        "not forwarded"
    );
    assert_eq!(net.stores, stores, "not stored");

    // An older client sends the change anyway: refused with a reason, not applied, not stored,
    // not forwarded, and the connection stays open for reading.
    net.force_last_change(manager);
    net.run_until_quiet();
    assert_eq!(
        net.get(coach, "status").as_deref(),
        Some("en cours"),
        "not forwarded"
    );
    assert_eq!(net.stores, stores, "not stored");
    let heads = net.clients[coach].doc.get_heads();
    assert_eq!(net.stored_doc().get_heads(), heads);
    let told = &net.clients[manager].errors;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].starts_with("read-only"), "{told:?}");
    assert!(
        !net.clients[manager].closed,
        "still connected, still reading"
    );

    net.edit(coach, "budget", "120000");
    net.run_until_quiet();
    assert_eq!(net.get(manager, "budget").as_deref(), Some("120000"));
}

#[test]
fn outsiders_get_doc_unavailable_and_learn_nothing() {
    let mut net = Net::new();
    let outsider = net.connect("outsider", Access::None);
    net.run_until_quiet();
    assert!(net.clients[outsider].unavailable);
    assert_eq!(net.get(outsider, "title"), None);
    assert_eq!(net.hub.open_documents(), 0, "never even loaded");
}

#[test]
fn ephemeral_messages_reach_the_others_once_and_are_never_stored() {
    let mut net = Net::new();
    let a = net.connect("a", Access::Write);
    let b = net.connect("b", Access::Write);
    let m = net.connect("m", Access::Read);
    net.run_until_quiet();
    let stores = net.stores;
    let presence = |count: u64| {
        Message::Ephemeral {
            document: DocumentId::parse(testnet::DOC).unwrap(),
            sender: PeerId("a".into()),
            target: PeerId("server".into()),
            count,
            session: "s1".into(),
            data: vec![0xa1, 0x61, 0x78, 0x01],
        }
        .encode()
    };
    net.send_raw(a, presence(1));
    net.send_raw(a, presence(1)); // duplicate
    net.send_raw(a, presence(2));
    net.run_until_quiet();
    assert_eq!(net.clients[b].ephemeral.len(), 2);
    assert_eq!(
        net.clients[m].ephemeral.len(),
        2,
        "managers see who is here"
    );
    assert!(net.clients[a].ephemeral.is_empty(), "not echoed");
    assert_eq!(net.stores, stores);
}

/// Sends one kind of bad input from a client.
type BadInput = Box<dyn Fn(&mut Net, usize)>;

#[test]
fn bad_input_gets_an_error_and_a_close_and_others_go_on() {
    let mut net = Net::new();
    let good = net.connect("good", Access::Write);
    net.run_until_quiet();

    let cases: Vec<(&str, BadInput)> = vec![
        (
            "malformed",
            Box::new(|n, c| n.send_raw(c, vec![0xff, 0x00, 0x13])),
        ),
        (
            "malformed",
            Box::new(|n, c| n.send_raw(c, vec![0x83, 1, 2, 3])),
        ),
        (
            "malformed",
            Box::new(|n, c| {
                let mut e = minicbor::Encoder::new(Vec::new());
                e.map(1)
                    .unwrap()
                    .str("type")
                    .unwrap()
                    .str("teleport")
                    .unwrap();
                n.send_raw(c, e.into_writer())
            }),
        ),
        (
            "malformed sync message",
            Box::new(|n, c| {
                let frame = Message::Sync {
                    document: DocumentId::parse(testnet::DOC).unwrap(),
                    sender: n.clients[c].peer.clone(),
                    target: PeerId("server".into()),
                    data: vec![1, 2, 3],
                };
                n.send_raw(c, frame.encode())
            }),
        ),
        (
            "senderId",
            Box::new(|n, c| {
                let frame = Message::Sync {
                    document: DocumentId::parse(testnet::DOC).unwrap(),
                    sender: PeerId("someone-else".into()),
                    target: PeerId("server".into()),
                    data: vec![0x42, 0, 0, 0],
                };
                n.send_raw(c, frame.encode())
            }),
        ),
        (
            "unexpected join",
            Box::new(|n, c| {
                let join = Message::Join {
                    sender: n.clients[c].peer.clone(),
                    metadata: None,
                    versions: None,
                };
                n.send_raw(c, join.encode())
            }),
        ),
    ];
    for (i, (expected, send)) in cases.iter().enumerate() {
        let bad = net.connect(&format!("bad{}", i + 2), Access::Write);
        net.run_until_quiet();
        send(&mut net, bad);
        net.run_until_quiet();
        let c = &net.clients[bad];
        assert!(c.closed, "case {i}");
        assert!(
            c.errors.iter().any(|e| e.contains(expected)),
            "case {i}: {:?}",
            c.errors
        );
    }
    // Meanwhile the good peer is unaffected.
    net.edit(good, "still", "here");
    net.run_until_quiet();
    assert_eq!(
        net.stored_doc().get_heads(),
        net.clients[good].doc.get_heads()
    );
}

#[test]
fn a_message_before_join_and_a_wrong_version_are_refused() {
    let mut hub = Hub::new(PeerId("server".into()), HubLimits::default());
    hub.handle(SyncEvent::Connected(ConnId(1)));
    let sync = Message::Sync {
        document: DocumentId::parse(testnet::DOC).unwrap(),
        sender: PeerId("early".into()),
        target: PeerId("server".into()),
        data: vec![0x42],
    };
    let out = hub.handle(SyncEvent::Frame(ConnId(1), sync.encode()));
    assert!(
        matches!(&out[..], [SyncEffect::Send(_, f), SyncEffect::Close(_)]
        if matches!(Message::decode(f), Ok(Message::Error { message, .. }) if message.contains("join")))
    );

    hub.handle(SyncEvent::Connected(ConnId(2)));
    let join = Message::Join {
        sender: PeerId("future".into()),
        metadata: None,
        versions: Some(vec!["2".into()]),
    };
    let out = hub.handle(SyncEvent::Frame(ConnId(2), join.encode()));
    assert!(
        matches!(&out[..], [SyncEffect::Send(_, f), SyncEffect::Close(_)]
        if matches!(Message::decode(f), Ok(Message::Error { message, .. }) if message == "unsupported protocol version"))
    );
    assert_eq!(hub.connections(), 0);
}

#[test]
fn oversized_frames_are_refused() {
    let mut hub = Hub::new(
        PeerId("server".into()),
        HubLimits {
            max_frame: 64,
            ..HubLimits::default()
        },
    );
    hub.handle(SyncEvent::Connected(ConnId(1)));
    let out = hub.handle(SyncEvent::Frame(ConnId(1), vec![0xa0; 65]));
    assert!(
        matches!(&out[..], [SyncEffect::Send(_, f), SyncEffect::Close(_)]
        if matches!(Message::decode(f), Ok(Message::Error { message, .. }) if message == "message too large"))
    );
}

#[test]
fn idle_documents_leave_memory_and_come_back_from_the_store() {
    let mut net = Net::new();
    let a = net.connect("a", Access::Write);
    net.run_until_quiet();
    net.edit(a, "k", "v");
    net.run_until_quiet();
    assert_eq!(net.hub.open_documents(), 1);
    net.disconnect(a);
    net.run_until_quiet();
    assert_eq!(net.hub.open_documents(), 0);
    let b = net.connect("b", Access::Read);
    net.run_until_quiet();
    assert_eq!(net.get(b, "k").as_deref(), Some("v"));
}

#[test]
fn changes_stored_by_another_instance_reach_local_peers() {
    let mut net = Net::new();
    let a = net.connect("a", Access::Write);
    net.run_until_quiet();
    // Another server instance appended a change to the shared database.
    let mut elsewhere = automerge::AutoCommit::load(&net.store[&net.document][0]).unwrap();
    automerge::transaction::Transactable::put(
        &mut elsewhere,
        automerge::ROOT,
        "from",
        "instance 2",
    )
    .unwrap();
    let chunk = elsewhere.save_incremental();
    net.changed_elsewhere(chunk);
    let stores = net.stores;
    net.run_until_quiet();
    assert_eq!(net.get(a, "from").as_deref(), Some("instance 2"));
    assert_eq!(net.stores, stores, "already durable: not stored again");
}

#[test]
fn many_peers_editing_while_stores_are_slow_all_converge_on_what_is_stored() {
    let mut net = Net::new();
    let peers: Vec<usize> = (0..12)
        .map(|i| net.connect(&format!("coach-{i}"), Access::Write))
        .collect();
    let reader = net.connect("manager", Access::Read);
    net.run_until_quiet();
    for round in 0..5 {
        // Some peers edit while the previous store is still outstanding, others after it.
        for &p in peers.iter().filter(|p| (*p + round) % 3 != 0) {
            net.edit(p, &format!("k{p}"), &format!("round {round}"));
        }
        net.run_holding_stores();
        for &p in peers.iter().filter(|p| (*p + round) % 3 == 0) {
            net.edit(p, &format!("k{p}"), &format!("round {round}"));
        }
        net.release_held();
        net.run_until_quiet();
    }
    let heads = net.stored_doc().get_heads();
    for c in peers.iter().copied().chain([reader]) {
        assert_eq!(net.clients[c].doc.get_heads(), heads, "client {c}");
        for &p in &peers {
            assert_eq!(net.get(c, &format!("k{p}")).as_deref(), Some("round 4"));
        }
    }
}

#[test]
fn changes_batched_while_a_store_runs_keep_a_managers_change_out() {
    let mut net = Net::new();
    let coach = net.connect("coach", Access::Write);
    let field = net.connect("field", Access::Write);
    let manager = net.connect("manager", Access::Read);
    net.run_until_quiet();

    // The coach's first edit is being stored while everything below arrives: the writers'
    // changes are applied in one batch, the manager's (sent by an older client) never.
    net.edit(coach, "a", "1");
    net.run_holding_stores();
    net.edit(field, "b", "2");
    net.edit(manager, "status", "annulé");
    net.force_last_change(manager);
    net.edit(coach, "c", "3");
    net.run_holding_stores();
    net.release_held();
    net.run_until_quiet();

    let stored = net.stored_doc();
    for c in [coach, field] {
        assert_eq!(
            net.clients[c].doc.get_heads(),
            stored.get_heads(),
            "client {c}"
        );
        for (k, v) in [("a", "1"), ("b", "2"), ("c", "3")] {
            assert_eq!(net.get(c, k).as_deref(), Some(v), "client {c} key {k}");
        }
        assert_eq!(net.get(c, "status"), None, "client {c}: not forwarded");
    }
    assert!(
        stored.get(automerge::ROOT, "status").unwrap().is_none(),
        "not stored"
    );
    assert_eq!(
        net.get(manager, "c").as_deref(),
        Some("3"),
        "the manager still reads"
    );
    let told = &net.clients[manager].errors;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].starts_with("read-only"), "{told:?}");
}
