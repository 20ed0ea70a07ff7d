//! The server is SIGKILLed in the middle of a stream of edits and restarted: every change a
//! client saw acknowledged is there afterwards. On SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

use app::{
    accounts::{Role, TerritoryLevel},
    sync::DocumentId,
};
use std::{
    collections::HashSet,
    time::{Duration, Instant},
};
use terrain_tests::{TestServer, databases, process::ServerProcess, sync_client::SyncClient};

#[tokio::test]
async fn acknowledged_changes_survive_sigkill() {
    for db in databases() {
        // Set the database up through an in-process server, then run the real binary on it.
        let setup = TestServer::start(&db).await;
        let accounts = &setup.state.accounts;
        let t = accounts
            .create_territory_as_admin("Commune de Bni Drar", TerritoryLevel::Commune, None, None)
            .await
            .unwrap();
        accounts
            .create_user_as_admin("coach@test.ma", "", "a long enough password", false, None)
            .await
            .unwrap();
        accounts
            .put_member_as_admin(t, "coach@test.ma", Role::Coach, None, None)
            .await
            .unwrap();
        let (_, token) = accounts
            .create_token("coach@test.ma", "kill")
            .await
            .unwrap();
        let doc = server::documents::create(
            setup.state.accounts.db(),
            t,
            app::accounts::DocumentKind::Meeting,
            "PV",
            None,
            None,
        )
        .await
        .unwrap();
        let doc = DocumentId::parse(&doc.id).unwrap();
        let url = setup.database_url.clone();

        let process = ServerProcess::start(&url);
        let mut client = SyncClient::connect(process.addr, &token, "writer")
            .await
            .unwrap();
        client.open(&doc);
        client.sync(Duration::from_millis(200)).await.unwrap();

        // Stream edits without waiting; record what the server confirms as it goes.
        let mut acknowledged = HashSet::new();
        let started = Instant::now();
        let mut i = 0u32;
        while !client.closed && started.elapsed() < Duration::from_millis(400) {
            client
                .put(&doc, &format!("line{i}"), "compte rendu")
                .await
                .ok();
            i += 1;
            while let Ok(Some(message)) = client.next(Duration::from_millis(2)).await {
                client.apply(message).await.ok();
            }
            acknowledged.extend(client.acknowledged(&doc));
        }
        // Kill while edits are still in flight.
        for _ in 0..20 {
            client.put(&doc, &format!("line{i}"), "en vol").await.ok();
            i += 1;
        }
        process.kill();
        while let Ok(Some(message)) = client.next(Duration::from_millis(50)).await {
            client.apply(message).await.ok();
        }
        acknowledged.extend(client.acknowledged(&doc));
        assert!(
            !acknowledged.is_empty(),
            "{db:?}: nothing was acknowledged before the kill"
        );

        let process = ServerProcess::start(&url);
        let mut reader = SyncClient::connect(process.addr, &token, "reader")
            .await
            .unwrap();
        reader.open(&doc);
        reader.sync(Duration::from_millis(300)).await.unwrap();
        let missing: Vec<_> = acknowledged
            .iter()
            .filter(|h| !reader.has_change(&doc, h))
            .collect();
        println!(
            "{db:?}: {i} edits sent, {} acknowledged heads checked, {} missing",
            acknowledged.len(),
            missing.len()
        );
        assert!(
            missing.is_empty(),
            "{db:?}: acknowledged changes lost: {missing:?}"
        );
        process.kill();
        setup.stop().await;
    }
}
