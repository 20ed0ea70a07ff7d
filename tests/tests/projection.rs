//! The action plans' read model against the real server, on SQLite and PostgreSQL: a change to
//! a plan updates exactly the rows it should (and no other), deletions and additions follow,
//! edits made offline by two people and merged are both projected, a restart keeps the rows;
//! and the portfolio answers only for the viewer's territories.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

use app::{
    accounts::{
        AccountsBackend, CurrentUser, DocumentKind, PortfolioFilter, Role, TerritoryLevel, Viewer,
    },
    model::{
        ItemId,
        action_plan::{self, ActionPlan, ActionStatus},
        diagnosis,
    },
    sync::DocumentId,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::store::entities::{plan_action, plan_indicator, user};
use std::{collections::BTreeMap, time::Duration};
use terrain_tests::{TestServer, databases, sync_client::SyncClient};

const QUIET: Duration = Duration::from_millis(300);
const PASSWORD: &str = "a long enough password";

struct Setup {
    plan: DocumentId,
    territory: i32,
    coach_a: String,
    coach_b: String,
}

async fn setup(server: &TestServer) -> Setup {
    let accounts = &server.state.accounts;
    let t = accounts
        .create_territory_as_admin("Commune de Bni Drar", TerritoryLevel::Commune, None, None)
        .await
        .unwrap();
    let mut tokens = Vec::new();
    for email in ["a@test.ma", "b@test.ma"] {
        accounts
            .create_user_as_admin(email, "", PASSWORD, false, None)
            .await
            .unwrap();
        accounts
            .put_member_as_admin(t, email, Role::Coach, None, None)
            .await
            .unwrap();
        tokens.push(accounts.create_token(email, "test").await.unwrap().1);
    }
    let db = accounts.db();
    let content = diagnosis::demo::demo_diagnosis();
    let seed = |doc: &mut automerge::AutoCommit| diagnosis::doc::write(doc, &content);
    let diag = server::documents::create(
        db,
        t,
        DocumentKind::Diagnosis,
        "Diagnostic",
        None,
        Some(&seed),
    )
    .await
    .unwrap();
    let plan = action_plan::demo::demo_action_plan(&diag.id);
    let seed = |doc: &mut automerge::AutoCommit| action_plan::doc::write(doc, &plan);
    let row = server::documents::create(db, t, DocumentKind::ActionPlan, "Plan", None, Some(&seed))
        .await
        .unwrap();
    let plan = DocumentId::parse(&row.id).unwrap();
    let b = tokens.pop().unwrap();
    let a = tokens.pop().unwrap();
    Setup {
        plan,
        territory: t,
        coach_a: a,
        coach_b: b,
    }
}

async fn actions(server: &TestServer, doc: &DocumentId) -> BTreeMap<String, plan_action::Model> {
    plan_action::Entity::find()
        .filter(plan_action::Column::DocumentId.eq(doc.as_str()))
        .all(server.state.accounts.db())
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.item_id.clone(), m))
        .collect()
}

/// Waits (bounded) until the projected rows satisfy `done`.
async fn until(
    server: &TestServer,
    doc: &DocumentId,
    done: impl Fn(&BTreeMap<String, plan_action::Model>) -> bool,
) -> BTreeMap<String, plan_action::Model> {
    for _ in 0..100 {
        let rows = actions(server, doc).await;
        if done(&rows) {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the read model never reached the expected state");
}

fn edit(client: &mut SyncClient, doc: &DocumentId, f: impl FnOnce(&mut ActionPlan)) {
    let (am, _) = client.docs.get_mut(doc).unwrap();
    let mut plan = action_plan::doc::read(am);
    f(&mut plan);
    action_plan::doc::write(am, &plan).unwrap();
    am.commit();
}

#[tokio::test]
async fn a_change_updates_exactly_its_rows_and_restarts_keep_them() {
    for db in databases() {
        let server = TestServer::start(&db).await;
        let s = setup(&server).await;
        let store = server.state.sync.store.clone();
        // The document was created outside sync: project it as start-up would.
        let first = server::projection::project(server.state.accounts.db(), &store, &s.plan)
            .await
            .unwrap();
        assert_eq!(
            (first.inserted, first.updated, first.deleted),
            (18 + 9, 0, 0),
            "{db:?}"
        );
        let before = actions(&server, &s.plan).await;
        assert_eq!(before.len(), 18);
        assert_eq!(
            before["pa-act-meters"].lead,
            "Agence du bassin hydraulique de la Moulouya"
        );

        let mut a = SyncClient::connect(server.addr, &s.coach_a, "coach-a")
            .await
            .unwrap();
        a.open(&s.plan);
        a.sync(QUIET).await.unwrap();
        edit(&mut a, &s.plan, |p| {
            let meters = p.actions.get_mut(&ItemId::from("pa-act-meters")).unwrap();
            meters.progress = 80;
            meters.status = ActionStatus::InProgress;
        });
        a.push(&s.plan).await.unwrap();
        a.sync(QUIET).await.unwrap();
        let after = until(&server, &s.plan, |rows| {
            rows["pa-act-meters"].progress == 80.0
        })
        .await;
        for (item, row) in &after {
            if item != "pa-act-meters" {
                assert_eq!(
                    row, &before[item],
                    "{item} was rewritten although it did not change"
                );
            }
        }
        assert_eq!(
            after["pa-act-meters"].id, before["pa-act-meters"].id,
            "updated in place"
        );

        // A deletion removes the row, an addition inserts one.
        edit(&mut a, &s.plan, |p| {
            p.actions
                .get_mut(&ItemId::from("pa-act-meters"))
                .unwrap()
                .deleted = true;
            p.actions.insert(
                ItemId::from("new-action"),
                action_plan::Action {
                    title: "Nouvelle action".into(),
                    due: "2027-01-31".into(),
                    ..Default::default()
                },
            );
        });
        a.push(&s.plan).await.unwrap();
        a.sync(QUIET).await.unwrap();
        let rows = until(&server, &s.plan, |rows| {
            !rows.contains_key("pa-act-meters") && rows.contains_key("new-action")
        })
        .await;
        assert_eq!(rows.len(), 18);

        // Restart: the rows are in the database, and the start-up projection changes nothing.
        let server = server.restart().await;
        let again = until(&server, &s.plan, |r| r.len() == 18).await;
        assert_eq!(
            again.keys().collect::<Vec<_>>(),
            rows.keys().collect::<Vec<_>>()
        );
        let indicators = plan_indicator::Entity::find()
            .filter(plan_indicator::Column::DocumentId.eq(s.plan.as_str()))
            .all(server.state.accounts.db())
            .await
            .unwrap();
        assert_eq!(indicators.len(), 9);
        server.stop().await;
    }
}

#[tokio::test]
async fn offline_edits_by_two_people_are_both_projected_once_merged() {
    for db in databases() {
        let server = TestServer::start(&db).await;
        let s = setup(&server).await;
        let mut a = SyncClient::connect(server.addr, &s.coach_a, "coach-a")
            .await
            .unwrap();
        let mut b = SyncClient::connect(server.addr, &s.coach_b, "coach-b")
            .await
            .unwrap();
        for c in [&mut a, &mut b] {
            c.open(&s.plan);
            c.sync(QUIET).await.unwrap();
        }
        // Both edit without syncing (offline), different actions and an indicator.
        edit(&mut a, &s.plan, |p| {
            p.actions
                .get_mut(&ItemId::from("pa-act-meters"))
                .unwrap()
                .status = ActionStatus::Blocked
        });
        edit(&mut b, &s.plan, |p| {
            p.actions
                .get_mut(&ItemId::from(first_other_action(p)))
                .unwrap()
                .committed = 777_777.0;
            let i = p.indicators.keys().next().cloned().unwrap();
            p.indicators.get_mut(&i).unwrap().current = Some(99.0);
        });
        a.sync(QUIET).await.unwrap();
        b.sync(QUIET).await.unwrap();
        a.sync(QUIET).await.unwrap();
        let rows = until(&server, &s.plan, |rows| {
            rows["pa-act-meters"].status == "blocked"
                && rows.values().any(|r| r.committed == 777_777.0)
        })
        .await;
        assert_eq!(rows.len(), 18);
        let current: Vec<Option<f64>> = plan_indicator::Entity::find()
            .filter(plan_indicator::Column::DocumentId.eq(s.plan.as_str()))
            .all(server.state.accounts.db())
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.current)
            .collect();
        assert!(current.contains(&Some(99.0)));

        // The portfolio: a member sees the plan; someone of another territory sees nothing.
        let accounts = &server.state.accounts;
        let member = user::Entity::find()
            .filter(user::Column::Email.eq("a@test.ma"))
            .one(accounts.db())
            .await
            .unwrap()
            .unwrap();
        let viewer = Viewer {
            user: Some(CurrentUser {
                id: member.id,
                email: member.email,
                display_name: String::new(),
                is_admin: false,
                preferred_language: "fr".into(),
            }),
            ..Viewer::default()
        };
        let p = accounts
            .portfolio(&viewer, PortfolioFilter::default())
            .await
            .unwrap();
        assert_eq!(p.actions.len(), 18);
        assert!(
            p.actions.iter().any(|a| a.late),
            "the demo plan has late actions"
        );
        let blocked = accounts
            .portfolio(
                &viewer,
                PortfolioFilter {
                    status: Some("blocked".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(
            blocked.actions.iter().all(|a| a.status == "blocked") && !blocked.actions.is_empty()
        );
        let other = PortfolioFilter {
            territory: Some(s.territory + 1000),
            ..Default::default()
        };
        assert!(
            accounts
                .portfolio(&viewer, other)
                .await
                .unwrap()
                .actions
                .is_empty()
        );
        server.stop().await;
    }
}

fn first_other_action(p: &ActionPlan) -> &str {
    p.actions
        .keys()
        .map(|k| k.as_str())
        .find(|k| *k != "pa-act-meters")
        .unwrap()
}
