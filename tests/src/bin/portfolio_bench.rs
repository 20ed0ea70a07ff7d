//! Benchmark of the managers' portfolio and the action plans' read model. Prints figures;
//! nothing passes or fails.
//!
//! ```sh
//! cargo run --release -p terrain-tests --bin portfolio_bench   # SQLite; add TEST_DATABASE_URL=… for PostgreSQL too
//! ```
//!
//! - dashboard query time for a manager of 200 territories × 100 actions (20,000 projected
//!   actions and 4,000 indicators), unfiltered and filtered by one territory or one status;
//! - projection cost per change: one field of one action changed in a plan of 100 actions, the
//!   document loaded, read, diffed against its rows and the one row updated.
#![allow(clippy::unwrap_used, clippy::print_stdout)] // a benchmark that cannot set up has nothing to report

use app::{
    accounts::{
        AccountsBackend, CurrentUser, DocumentKind, PortfolioFilter, Role, TerritoryLevel, Viewer,
    },
    model::{
        ItemId,
        action_plan::{self, Action, ActionPlan, ActionStatus, Indicator, Orientation},
    },
    sync::DocumentId,
};
use automerge::AutoCommit;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::store::entities::{plan_action, plan_indicator, user};
use std::time::Instant;
use terrain_tests::{TestServer, databases};

const TERRITORIES: usize = 200;
const ACTIONS: usize = 100;
const INDICATORS: usize = 20;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn plan(n: usize) -> ActionPlan {
    let mut p = ActionPlan::default();
    for o in 0..5 {
        p.orientations.insert(
            ItemId(format!("o{o}")),
            Orientation {
                title: format!("Orientation {o}"),
                ..Default::default()
            },
        );
    }
    for a in 0..n {
        p.actions.insert(
            ItemId(format!("a{a:03}")),
            Action {
                orientation: Some(ItemId(format!("o{}", a % 5))),
                title: format!("Action {a}"),
                start: "2026-01-15".into(),
                due: format!("2027-{:02}-28", 1 + a % 12),
                budget: 10_000.0 * (1 + a % 50) as f64,
                committed: 5_000.0 * (a % 30) as f64,
                status: ActionStatus::ALL[a % 5],
                progress: (a * 7 % 101) as u8,
                ..Default::default()
            },
        );
    }
    for i in 0..INDICATORS {
        p.indicators.insert(
            ItemId(format!("i{i:02}")),
            Indicator {
                name: format!("Indicateur {i}"),
                unit: "%".into(),
                baseline: Some(10.0),
                current: Some(20.0 + i as f64),
                ..Default::default()
            },
        );
    }
    p
}

#[tokio::main]
async fn main() {
    println!("# cargo run --release -p terrain-tests --bin portfolio_bench");
    for db in databases() {
        let server = TestServer::start(&db).await;
        let accounts = &server.state.accounts;
        let conn = accounts.db().clone();
        accounts
            .create_user_as_admin(
                "m@bench.ma",
                "Manager",
                "a long enough password",
                false,
                None,
            )
            .await
            .unwrap();
        let setup = Instant::now();
        let mut first_doc = None;
        for t in 0..TERRITORIES {
            let territory = accounts
                .create_territory_as_admin(
                    &format!("Commune {t}"),
                    TerritoryLevel::Commune,
                    None,
                    None,
                )
                .await
                .unwrap();
            accounts
                .put_member_as_admin(territory, "m@bench.ma", Role::Manager, None, None)
                .await
                .unwrap();
            let content = plan(ACTIONS);
            let seed = |doc: &mut AutoCommit| action_plan::doc::write(doc, &content);
            let row = server::documents::create(
                &conn,
                territory,
                DocumentKind::ActionPlan,
                "Plan",
                None,
                Some(&seed),
            )
            .await
            .unwrap();
            let doc = DocumentId::parse(&row.id).unwrap();
            server::projection::project(&conn, &server.state.sync.store, &doc)
                .await
                .unwrap();
            if first_doc.is_none() {
                first_doc = Some((doc, territory));
            }
        }
        let rows = plan_action::Entity::find().all(&conn).await.unwrap().len();
        let indicators = plan_indicator::Entity::find()
            .all(&conn)
            .await
            .unwrap()
            .len();
        println!(
            "\n## {db:?}: {TERRITORIES} territories × {ACTIONS} actions = {rows} action rows, {indicators} indicator rows (set up in {:.1} s)",
            setup.elapsed().as_secs_f64()
        );
        let m = user::Entity::find()
            .filter(user::Column::Email.eq("m@bench.ma"))
            .one(&conn)
            .await
            .unwrap()
            .unwrap();
        let viewer = Viewer {
            user: Some(CurrentUser {
                id: m.id,
                email: m.email,
                display_name: String::new(),
                is_admin: false,
                preferred_language: "fr".into(),
            }),
            ..Viewer::default()
        };
        let (doc, territory) = first_doc.unwrap();
        for (label, filter) in [
            ("every territory", PortfolioFilter::default()),
            (
                "one territory",
                PortfolioFilter {
                    territory: Some(territory),
                    ..Default::default()
                },
            ),
            (
                "one status",
                PortfolioFilter {
                    status: Some("blocked".into()),
                    ..Default::default()
                },
            ),
        ] {
            let mut times = Vec::new();
            let mut n = 0;
            for _ in 0..15 {
                let t = Instant::now();
                let p = accounts.portfolio(&viewer, filter.clone()).await.unwrap();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                n = p.actions.len();
            }
            println!(
                "dashboard query, {label}: {n} actions, median {:.1} ms (15 runs)",
                median(times)
            );
        }

        // Projection cost per change: one field of one action, then project.
        let mut times = Vec::new();
        for round in 0..30 {
            let (chunks, _) = server.state.sync.store.load(&doc).await.unwrap();
            let mut am = AutoCommit::new();
            for c in &chunks {
                am.load_incremental(c).unwrap();
            }
            let mut p = action_plan::doc::read(&am);
            p.actions.get_mut(&ItemId("a000".into())).unwrap().progress = (round % 100) as u8;
            action_plan::doc::write(&mut am, &p).unwrap();
            am.commit();
            server
                .state
                .sync
                .store
                .append(&doc, am.save_incremental())
                .await
                .unwrap();
            let t = Instant::now();
            let done = server::projection::project(&conn, &server.state.sync.store, &doc)
                .await
                .unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(done.updated <= 1);
        }
        println!(
            "projection of one change to a plan of {ACTIONS} actions: median {:.1} ms (30 changes; load + read + diff + 1 row updated)",
            median(times)
        );
        server.stop().await;
    }
}
