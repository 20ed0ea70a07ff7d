//! The sync endpoint against the real server: co-editing through `/sync`, managers read-only,
//! outsiders refused, anonymous refused before the upgrade, nothing lost across a restart, and
//! bad input answered with an error and a close — on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

use app::{
    accounts::{Role, TerritoryLevel},
    sync::{DocumentId, Message},
};
use std::time::Duration;
use terrain_tests::{TestServer, databases, sync_client::SyncClient};

const QUIET: Duration = Duration::from_millis(300);
const PASSWORD: &str = "a long enough password";

struct Tokens {
    coach_a: String,
    coach_b: String,
    manager: String,
    outsider: String,
}

async fn setup(server: &TestServer) -> (DocumentId, Tokens) {
    let accounts = &server.state.accounts;
    let t = accounts
        .create_territory_as_admin("Commune de Bni Drar", TerritoryLevel::Commune, None, None)
        .await
        .unwrap();
    let other = accounts
        .create_territory_as_admin("Ailleurs", TerritoryLevel::Commune, None, None)
        .await
        .unwrap();
    let mut tokens = Vec::new();
    for (email, territory, role) in [
        ("a@test.ma", t, Role::Coach),
        ("b@test.ma", t, Role::Field),
        ("m@test.ma", t, Role::Manager),
        ("o@test.ma", other, Role::Coach),
    ] {
        accounts
            .create_user_as_admin(email, "", PASSWORD, false, None)
            .await
            .unwrap();
        accounts
            .put_member_as_admin(territory, email, role, None, None)
            .await
            .unwrap();
        tokens.push(accounts.create_token(email, "test").await.unwrap().1);
    }
    let res = server
        .client()
        .post(server.url("/api/documents"))
        .bearer_auth(&tokens[0])
        .json(&serde_json::json!({"territory": t, "kind": "diagnosis", "title": "Diagnostic"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: serde_json::Value = res.json().await.unwrap();
    let doc = DocumentId::parse(body["id"].as_str().unwrap()).unwrap();
    let mut t = tokens.into_iter();
    let mut next = || t.next().unwrap();
    (
        doc,
        Tokens {
            coach_a: next(),
            coach_b: next(),
            manager: next(),
            outsider: next(),
        },
    )
}

#[tokio::test]
async fn coaches_co_edit_managers_read_outsiders_are_refused_and_restarts_lose_nothing() {
    for db in databases() {
        let server = TestServer::start(&db).await;
        let (doc, tokens) = setup(&server).await;

        let mut a = SyncClient::connect(server.addr, &tokens.coach_a, "coach-a")
            .await
            .unwrap();
        let mut b = SyncClient::connect(server.addr, &tokens.coach_b, "field-b")
            .await
            .unwrap();
        a.open(&doc);
        b.open(&doc);
        a.sync(QUIET).await.unwrap();
        b.sync(QUIET).await.unwrap();
        assert_eq!(
            a.get(&doc, "title").as_deref(),
            Some("Diagnostic"),
            "{db:?}"
        );
        assert_eq!(b.get(&doc, "kind").as_deref(), Some("diagnosis"));

        a.put(&doc, "core_problem", "Exode rural des jeunes")
            .await
            .unwrap();
        b.put(&doc, "swot_strength", "Coopératives d'huile d'olive")
            .await
            .unwrap();
        for _ in 0..3 {
            a.sync(QUIET).await.unwrap();
            b.sync(QUIET).await.unwrap();
        }
        assert_eq!(
            b.get(&doc, "core_problem").as_deref(),
            Some("Exode rural des jeunes")
        );
        assert_eq!(
            a.get(&doc, "swot_strength").as_deref(),
            Some("Coopératives d'huile d'olive")
        );
        assert_eq!(a.heads(&doc), b.heads(&doc));

        // The manager reads everything and writes nothing.
        let mut m = SyncClient::connect(server.addr, &tokens.manager, "manager")
            .await
            .unwrap();
        m.open(&doc);
        m.sync(QUIET).await.unwrap();
        assert_eq!(
            m.get(&doc, "core_problem").as_deref(),
            Some("Exode rural des jeunes")
        );
        m.put(&doc, "core_problem", "(supprimé)").await.unwrap();
        m.sync(QUIET).await.unwrap();
        a.sync(QUIET).await.unwrap();
        assert_eq!(
            a.get(&doc, "core_problem").as_deref(),
            Some("Exode rural des jeunes")
        );

        // The outsider learns nothing.
        let mut o = SyncClient::connect(server.addr, &tokens.outsider, "outsider")
            .await
            .unwrap();
        o.open(&doc);
        o.sync(QUIET).await.unwrap();
        assert_eq!(o.unavailable, vec![doc.clone()]);
        assert_eq!(o.get(&doc, "title"), None);

        // Anonymous callers and bad tokens are refused before the upgrade.
        for url in [
            format!("ws://{}/sync", server.addr),
            format!("ws://{}/sync?token=trn_nope", server.addr),
        ] {
            let err = tokio_tungstenite::connect_async(url).await.unwrap_err();
            assert!(err.to_string().contains("401"), "{err}");
        }

        let heads = a.heads(&doc);
        for c in [a, b, m, o] {
            c.close().await;
        }
        let server = server.restart().await;
        let mut c = SyncClient::connect(server.addr, &tokens.coach_b, "after-restart")
            .await
            .unwrap();
        c.open(&doc);
        c.sync(QUIET).await.unwrap();
        assert_eq!(
            c.heads(&doc),
            heads,
            "{db:?}: nothing lost across the restart"
        );
        assert_eq!(
            c.get(&doc, "swot_strength").as_deref(),
            Some("Coopératives d'huile d'olive")
        );
        c.close().await;
        server.stop().await;
    }
}

#[tokio::test]
async fn bad_input_gets_an_error_and_a_close_and_others_go_on() {
    let server = TestServer::start(&databases()[0]).await;
    let (doc, tokens) = setup(&server).await;
    let mut good = SyncClient::connect(server.addr, &tokens.coach_a, "good")
        .await
        .unwrap();
    good.open(&doc);
    good.sync(QUIET).await.unwrap();

    let mut text = SyncClient::connect(server.addr, &tokens.coach_b, "text")
        .await
        .unwrap();
    text.send_text("{\"type\":\"sync\"}").await.unwrap();
    let reply = text.next(Duration::from_secs(2)).await.unwrap();
    assert!(
        matches!(reply, Some(Message::Error { message, .. }) if message.contains("text frames"))
    );

    let mut garbage = SyncClient::connect(server.addr, &tokens.coach_b, "garbage")
        .await
        .unwrap();
    garbage.send_raw(vec![0xff, 0xfe, 0x00]).await.unwrap();
    let reply = garbage.next(Duration::from_secs(2)).await.unwrap();
    assert!(
        matches!(reply, Some(Message::Error { message, .. }) if message.starts_with("malformed"))
    );
    assert!(
        garbage
            .next(Duration::from_secs(2))
            .await
            .unwrap()
            .is_none()
            && garbage.closed
    );

    // An unregistered (but well-formed) document id is unavailable, not created.
    let mut stray = SyncClient::connect(server.addr, &tokens.coach_b, "stray")
        .await
        .unwrap();
    let unknown = DocumentId::parse("2VzPLXwa4R41PB944FYJS46nvFdj").unwrap();
    stray.open(&unknown);
    stray.put(&unknown, "x", "y").await.unwrap();
    stray.sync(QUIET).await.unwrap();
    assert_eq!(stray.unavailable, vec![unknown.clone()]);
    assert_eq!(
        server
            .state
            .sync
            .store
            .tally(&unknown)
            .await
            .unwrap()
            .chunks,
        0
    );

    good.put(&doc, "still", "working").await.unwrap();
    good.sync(QUIET).await.unwrap();
    let mut check = SyncClient::connect(server.addr, &tokens.manager, "check")
        .await
        .unwrap();
    check.open(&doc);
    check.sync(QUIET).await.unwrap();
    assert_eq!(check.get(&doc, "still").as_deref(), Some("working"));
    server.stop().await;
}

#[tokio::test]
async fn two_instances_on_one_postgresql_database_relay_each_others_changes() {
    let Some(db) = databases()
        .into_iter()
        .find(|d| matches!(d, terrain_tests::Db::Postgres(_)))
    else {
        println!("TEST_DATABASE_URL is not set: the scale-out test needs PostgreSQL");
        return;
    };
    let one = TestServer::start(&db).await;
    let two = one.start_beside().await;
    let (doc, tokens) = setup(&one).await;
    let mut a = SyncClient::connect(one.addr, &tokens.coach_a, "on-one")
        .await
        .unwrap();
    let mut b = SyncClient::connect(two.addr, &tokens.coach_b, "on-two")
        .await
        .unwrap();
    a.open(&doc);
    b.open(&doc);
    a.sync(QUIET).await.unwrap();
    b.sync(QUIET).await.unwrap();
    a.put(&doc, "from_one", "bonjour").await.unwrap();
    b.put(&doc, "from_two", "salam").await.unwrap();
    for _ in 0..3 {
        a.sync(QUIET).await.unwrap();
        b.sync(QUIET).await.unwrap();
    }
    assert_eq!(b.get(&doc, "from_one").as_deref(), Some("bonjour"));
    assert_eq!(a.get(&doc, "from_two").as_deref(), Some("salam"));
    assert_eq!(a.heads(&doc), b.heads(&doc));
    a.close().await;
    b.close().await;
    two.stop().await;
    one.stop().await;
}

#[tokio::test]
async fn a_stalled_reader_is_let_go_and_does_not_hold_up_the_others() {
    use axum::extract::ws::Message as AxumWs;
    use futures_util::{StreamExt, sink, stream};
    use std::sync::atomic::Ordering;

    let server = TestServer::start_with(
        &databases()[0],
        terrain_tests::Options {
            settings: Some(|s| s.sync_send_queue = 16),
            ..Default::default()
        },
    )
    .await;
    let (doc, tokens) = setup(&server).await;
    let user = server
        .state
        .accounts
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "m@test.ma")
        .unwrap()
        .id;
    // A connection that joins, asks for the document, then never reads again: its sink never
    // accepts a frame.
    let hello = [
        Message::Join {
            sender: app::sync::PeerId("stalled".into()),
            metadata: None,
            versions: None,
        },
        Message::Request {
            document: doc.clone(),
            sender: app::sync::PeerId("stalled".into()),
            target: app::sync::PeerId("server".into()),
            // The first message of a peer that has nothing yet.
            data: automerge::sync::SyncDoc::generate_sync_message(
                &automerge::Automerge::new(),
                &mut automerge::sync::State::new(),
            )
            .unwrap()
            .encode(),
        },
    ];
    let incoming = stream::iter(
        hello.map(|m| Ok::<_, std::convert::Infallible>(AxumWs::Binary(m.encode().into()))),
    )
    .chain(stream::pending());
    let stuck = sink::unfold((), |(), _frame: AxumWs| {
        std::future::pending::<Result<(), std::convert::Infallible>>()
    });
    let service = server.state.sync.clone();
    tokio::spawn(async move {
        server::sync::ws::serve_connection(service, user, Box::pin(stuck), Box::pin(incoming))
            .await;
    });

    let mut writer = SyncClient::connect(server.addr, &tokens.coach_a, "writer")
        .await
        .unwrap();
    let mut reader = SyncClient::connect(server.addr, &tokens.coach_b, "reader")
        .await
        .unwrap();
    writer.open(&doc);
    reader.open(&doc);
    writer.sync(QUIET).await.unwrap();
    reader.sync(QUIET).await.unwrap();
    let started = std::time::Instant::now();
    for i in 0..100u32 {
        writer.put(&doc, &format!("k{i}"), "v").await.unwrap();
        while let Ok(Some(m)) = writer.next(Duration::from_millis(1)).await {
            writer.apply(m).await.unwrap();
        }
        while let Ok(Some(m)) = reader.next(Duration::from_millis(1)).await {
            reader.apply(m).await.unwrap();
        }
    }
    writer.sync(QUIET).await.unwrap();
    reader.sync(QUIET).await.unwrap();
    println!(
        "100 changes reached the live reader in {:?}",
        started.elapsed()
    );
    assert_eq!(
        reader.heads(&doc),
        writer.heads(&doc),
        "the live reader has everything"
    );
    let stats = &server.state.sync_stats;
    println!(
        "frames out {}, stores {}, slow closed {}",
        stats.frames_out.load(Ordering::Relaxed),
        stats.stores.load(Ordering::Relaxed),
        stats.slow_closed.load(Ordering::Relaxed)
    );
    assert!(
        stats.slow_closed.load(Ordering::Relaxed) >= 1,
        "the stalled one was let go"
    );
    server.stop().await;
}

/// The store, a registered document, and a replica of it as stored.
async fn stored_document(
    server: &TestServer,
) -> (
    server::sync::store::DocStore,
    DocumentId,
    automerge::AutoCommit,
) {
    let (doc, _) = setup(server).await;
    let store = server.state.sync.store.clone();
    let (chunks, _) = store.load(&doc).await.unwrap();
    let am = automerge::AutoCommit::load(&chunks[0]).unwrap();
    (store, doc, am)
}

#[tokio::test]
async fn compaction_never_loses_a_chunk_even_when_it_races_itself() {
    use automerge::transaction::Transactable;
    for db in databases() {
        let server = TestServer::start(&db).await;
        let (store, doc, mut am) = stored_document(&server).await;
        for round in 0..5 {
            let mut tasks = Vec::new();
            for i in 0..40 {
                am.put(automerge::ROOT, format!("k{round}_{i}"), i as i64)
                    .unwrap();
                store.append(&doc, am.save_incremental()).await.unwrap();
                let (s, d) = (store.clone(), doc.clone());
                // Several compactions at once, interleaved with appends.
                tasks.push(tokio::spawn(async move { s.compact(&d).await }));
            }
            for t in tasks {
                let _ = t.await.unwrap();
            }
        }
        store.compact(&doc).await.unwrap();
        let (chunks, _) = store.load(&doc).await.unwrap();
        let mut loaded = automerge::Automerge::new();
        for c in &chunks {
            loaded.load_incremental(c).unwrap();
        }
        assert_eq!(
            loaded.get_heads(),
            am.get_heads(),
            "{db:?}: every change survives compaction"
        );
        assert_eq!(chunks.len(), 1, "{db:?}: folded into one snapshot");
        server.stop().await;
    }
}

/// A document is compacted once its incremental chunks number more than 64 and weigh half
/// its snapshot (or number more than 4,096), not every 64 chunks: what each append answers is
/// what the database's own tally says, before and after a compaction.
#[tokio::test]
async fn compaction_comes_due_in_proportion_to_the_snapshot() {
    use automerge::transaction::Transactable;
    use server::sync::store::{COMPACT_AFTER, Tally};
    for db in databases() {
        let server = TestServer::start(&db).await;
        let (store, doc, mut am) = stored_document(&server).await;
        // A snapshot of some weight: text that does not compress.
        let mut x = 0x2545_f491_u32;
        let noise: String = (0..24_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                char::from(b'a' + (x % 26) as u8)
            })
            .collect();
        am.put(automerge::ROOT, "noise", noise).unwrap();
        store.append(&doc, am.save_incremental()).await.unwrap();
        store.compact(&doc).await.unwrap();
        let snapshot = store.tally(&doc).await.unwrap();
        assert_eq!(snapshot.chunks, 1, "{db:?}");
        assert!(snapshot.snapshots > 10_000, "{db:?}: {snapshot:?}");
        let mut due_at = None;
        for i in 0..1_000 {
            am.put(automerge::ROOT, format!("k{i}"), i64::from(i))
                .unwrap();
            let due = store.append(&doc, am.save_incremental()).await.unwrap();
            let tally = store.tally(&doc).await.unwrap();
            assert_eq!(due, tally.compaction_due(), "{db:?}: append {i}, {tally:?}");
            if due {
                due_at = Some(tally);
                break;
            }
        }
        let due_at = due_at.expect("compaction came due");
        assert!(
            due_at.chunks > COMPACT_AFTER + 1,
            "{db:?}: the count alone did not decide it: {due_at:?}"
        );
        assert!(due_at.incremental * 2 >= due_at.snapshots, "{db:?}");
        store.compact(&doc).await.unwrap();
        let after = store.tally(&doc).await.unwrap();
        assert_eq!(
            (after.chunks, after.incremental),
            (1, 0),
            "{db:?}: folded into one snapshot"
        );
        am.put(automerge::ROOT, "after", 1).unwrap();
        let chunk = am.save_incremental();
        let bytes = chunk.len() as u64;
        assert!(
            !store.append(&doc, chunk).await.unwrap(),
            "{db:?}: not due right after compacting"
        );
        assert_eq!(
            store.tally(&doc).await.unwrap(),
            Tally {
                chunks: 2,
                incremental: bytes,
                ..after
            },
            "{db:?}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn silent_peers_are_pinged_then_let_go_while_live_ones_stay() {
    use axum::extract::ws::Message as AxumWs;
    use futures_util::{StreamExt, sink, stream};

    let server = TestServer::start_with(
        &databases()[0],
        terrain_tests::Options {
            settings: Some(|s| s.sync_keepalive_secs = 1),
            ..Default::default()
        },
    )
    .await;
    let (doc, tokens) = setup(&server).await;
    let user = server
        .state
        .accounts
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "a@test.ma")
        .unwrap()
        .id;
    // A peer that joins and is never heard from again, not even a pong (a laptop lid closed).
    let join = Message::Join {
        sender: app::sync::PeerId("silent".into()),
        metadata: None,
        versions: None,
    };
    let incoming = stream::iter([Ok::<_, std::convert::Infallible>(AxumWs::Binary(
        join.encode().into(),
    ))])
    .chain(stream::pending());
    let (tx, mut sent) = tokio::sync::mpsc::unbounded_channel();
    let outgoing = sink::unfold(tx, |tx, frame: AxumWs| async move {
        let _ = tx.send(frame);
        Ok::<_, std::convert::Infallible>(tx)
    });
    let service = server.state.sync.clone();
    let silent = tokio::spawn(async move {
        server::sync::ws::serve_connection(service, user, Box::pin(outgoing), Box::pin(incoming))
            .await;
    });

    // A real client that keeps reading, so its WebSocket library answers every ping.
    let mut live = SyncClient::connect(server.addr, &tokens.coach_b, "live")
        .await
        .unwrap();
    live.open(&doc);
    live.sync(QUIET).await.unwrap();
    // Reading all along (pings do not end `next`, hence the outer timeout).
    let (ended, _) = tokio::join!(
        tokio::time::timeout(Duration::from_secs(8), silent),
        tokio::time::timeout(Duration::from_secs(4), live.next(Duration::from_secs(4))),
    );
    assert!(ended.is_ok(), "the silent connection was closed within 8 s");
    let mut frames = Vec::new();
    while let Ok(f) = sent.try_recv() {
        frames.push(f);
    }
    assert!(
        frames.iter().any(|f| matches!(f, AxumWs::Ping(_))),
        "it was pinged first: {frames:?}"
    );
    assert!(
        matches!(frames.last(), Some(AxumWs::Close(_))),
        "then closed: {frames:?}"
    );
    assert!(!live.closed, "the live client is still connected");
    live.put(&doc, "after", "pings").await.unwrap();
    live.sync(QUIET).await.unwrap();
    assert_eq!(live.acknowledged(&doc), live.heads(&doc));
    server.stop().await;
}
