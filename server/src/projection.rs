//! The action plans' read model: after every stored change to an action plan document, its
//! actions and indicators are projected into `plan_actions` and `plan_indicators`, touching
//! exactly the rows whose values changed (inserted, updated, deleted), so the managers'
//! portfolio queries across territories without loading documents. At start-up every action
//! plan is projected once, which also catches up after a crash between a store and its
//! projection.

use app::model::{
    action_plan::{self, ActionPlan},
    diagnosis,
};
use app::sync::DocumentId;
use automerge::Automerge;
use chrono::Utc;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, Iterable, PrimaryKeyToColumn, QueryFilter, TransactionTrait,
};
use std::collections::{BTreeMap, BTreeSet};
use tokio::sync::mpsc;

use crate::{
    store::{
        StoreError,
        entities::{document, plan_action, plan_indicator},
    },
    sync::store::DocStore,
};

/// What one projection did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Projected {
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
}

/// Queues documents to project; one task projects them in turn, merging repeated requests for
/// the same document that arrive meanwhile.
#[derive(Clone)]
pub struct Projector {
    tx: mpsc::UnboundedSender<DocumentId>,
}

impl Projector {
    pub fn start(db: DatabaseConnection, store: DocStore) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<DocumentId>();
        tokio::spawn(async move {
            if let Err(e) = project_all(&db, &store).await {
                tracing::error!(error = %e, "projecting action plans at start-up");
            }
            // Whether a document is an action plan: its kind never changes, so every stored
            // change to a diagnosis need not ask the database again.
            let mut is_plan: std::collections::HashMap<DocumentId, bool> = Default::default();
            while let Some(first) = rx.recv().await {
                let mut due = BTreeSet::from([first]);
                while let Ok(more) = rx.try_recv() {
                    due.insert(more);
                }
                for doc in due {
                    if is_plan.get(&doc) == Some(&false) {
                        continue;
                    }
                    if !is_plan.contains_key(&doc) {
                        if is_plan.len() >= 10_000 {
                            is_plan.clear();
                        }
                        match document::Entity::find_by_id(doc.as_str().to_owned())
                            .one(&db)
                            .await
                        {
                            Ok(Some(row)) => {
                                is_plan.insert(doc.clone(), row.kind == action_plan::doc::KIND);
                            }
                            Ok(None) => {}
                            Err(e) => {
                                tracing::error!(error = %e, document = %doc, "projecting an action plan");
                            }
                        }
                    }
                    if is_plan.get(&doc) != Some(&true) {
                        continue;
                    }
                    if let Err(e) = project(&db, &store, &doc).await {
                        tracing::error!(error = %e, document = %doc, "projecting an action plan");
                    }
                }
            }
        });
        Self { tx }
    }

    /// The document changed (stored); project it if it is an action plan.
    pub fn changed(&self, doc: DocumentId) {
        let _ = self.tx.send(doc);
    }
}

/// Projects every action plan document.
pub async fn project_all(
    db: &DatabaseConnection,
    store: &DocStore,
) -> Result<Projected, StoreError> {
    let plans = document::Entity::find()
        .filter(document::Column::Kind.eq(action_plan::doc::KIND))
        .all(db)
        .await?;
    let mut total = Projected::default();
    for row in plans {
        if let Some(id) = DocumentId::parse(&row.id) {
            let p = project(db, store, &id).await?;
            total.inserted += p.inserted;
            total.updated += p.updated;
            total.deleted += p.deleted;
        }
    }
    Ok(total)
}

async fn load(store: &DocStore, doc: &DocumentId) -> Result<Automerge, StoreError> {
    let (chunks, _) = store.load(doc).await?;
    app::sync::load_chunks(&chunks).map_err(|e| StoreError::Transaction(format!("automerge: {e}")))
}

/// The rows an action plan should have, keyed by item id.
struct Rows {
    actions: BTreeMap<String, plan_action::Model>,
    indicators: BTreeMap<String, plan_indicator::Model>,
}

fn rows(
    plan: &ActionPlan,
    actor_names: &BTreeMap<String, String>,
    doc: &str,
    territory: i32,
) -> Rows {
    let now = Utc::now();
    let mut actions = BTreeMap::new();
    for (id, a) in plan.live_actions() {
        let orientation = a
            .orientation
            .as_ref()
            .and_then(|o| plan.orientations.get(o))
            .filter(|o| !o.deleted)
            .map(|o| o.title.clone())
            .unwrap_or_default();
        let lead = a
            .lead
            .as_ref()
            .map(|l| {
                actor_names
                    .get(&l.0)
                    .cloned()
                    .unwrap_or_else(|| l.0.clone())
            })
            .unwrap_or_default();
        actions.insert(
            id.0.clone(),
            plan_action::Model {
                id: 0,
                document_id: doc.to_owned(),
                item_id: id.0.clone(),
                territory_id: territory,
                orientation_id: a.orientation.as_ref().map(|o| o.0.clone()),
                orientation,
                title: a.title.clone(),
                lead,
                status: a.status.as_str().to_owned(),
                progress: a.effective_progress(),
                weight: a.weight,
                start_date: a.start.chars().take(10).collect(),
                due_date: a.due.chars().take(10).collect(),
                budget: a.budget,
                committed: a.committed,
                projected_at: now,
            },
        );
    }
    let mut indicators = BTreeMap::new();
    for (id, i) in plan.live_indicators() {
        let target = plan.latest_target(id);
        indicators.insert(
            id.0.clone(),
            plan_indicator::Model {
                id: 0,
                document_id: doc.to_owned(),
                item_id: id.0.clone(),
                territory_id: territory,
                action_id: i.action.as_ref().map(|a| a.0.clone()),
                orientation_id: i.orientation.as_ref().map(|o| o.0.clone()),
                name: i.name.clone(),
                unit: i.unit.clone(),
                baseline: i.baseline,
                current: i.current,
                target: target.map(|t| t.value),
                target_period: target
                    .map(|t| t.period.chars().take(16).collect())
                    .unwrap_or_default(),
                progress: plan.indicator_progress(id),
                projected_at: now,
            },
        );
    }
    Rows {
        actions,
        indicators,
    }
}

/// A read-model row: one item of one document.
trait ItemRow: Clone + PartialEq + Send + Sync {
    fn item_id(&self) -> &str;
    fn row_id(&self) -> i64;
    /// The same values under another row id and projection time.
    fn rekeyed(&self, id: i64, at: chrono::DateTime<Utc>) -> Self;
    fn projected_at(&self) -> chrono::DateTime<Utc>;

    /// Whether two rows differ in anything but their id and projection time.
    fn differs(&self, other: &Self) -> bool {
        let at = other.projected_at();
        self.rekeyed(0, at) != other.rekeyed(0, at)
    }
}

macro_rules! item_row {
    ($($entity:ident),*) => {$(
        impl ItemRow for $entity::Model {
            fn item_id(&self) -> &str {
                &self.item_id
            }
            fn row_id(&self) -> i64 {
                self.id
            }
            fn rekeyed(&self, id: i64, at: chrono::DateTime<Utc>) -> Self {
                Self { id, projected_at: at, ..self.clone() }
            }
            fn projected_at(&self) -> chrono::DateTime<Utc> {
                self.projected_at
            }
        }
    )*};
}
item_row!(plan_action, plan_indicator);

/// Brings one table's rows for a document to `want`: deletes the rows of items that are gone,
/// updates the rows whose values changed, inserts the new ones, and leaves the others alone.
async fn reconcile<E>(
    txn: &DatabaseTransaction,
    document: E::Column,
    doc_id: &str,
    want: BTreeMap<String, E::Model>,
    done: &mut Projected,
) -> Result<(), sea_orm::DbErr>
where
    E: EntityTrait,
    E::Model: ItemRow + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
{
    let have: BTreeMap<String, E::Model> = E::find()
        .filter(document.eq(doc_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.item_id().to_owned(), m))
        .collect();
    for (item, old) in &have {
        if !want.contains_key(item) {
            old.clone().into_active_model().delete(txn).await?;
            done.deleted += 1;
        }
    }
    for (item, new) in want {
        match have.get(&item) {
            Some(old) if !old.differs(&new) => {}
            Some(old) => {
                new.rekeyed(old.row_id(), new.projected_at())
                    .into_active_model()
                    .reset_all()
                    .update(txn)
                    .await?;
                done.updated += 1;
            }
            None => {
                let mut m = new.into_active_model();
                for key in E::PrimaryKey::iter() {
                    m.not_set(key.into_column());
                }
                m.insert(txn).await?;
                done.inserted += 1;
            }
        }
    }
    Ok(())
}

/// Projects one document (nothing happens for other kinds).
pub async fn project(
    db: &DatabaseConnection,
    store: &DocStore,
    doc: &DocumentId,
) -> Result<Projected, StoreError> {
    let Some(row) = document::Entity::find_by_id(doc.as_str().to_owned())
        .one(db)
        .await?
    else {
        return Ok(Projected::default());
    };
    if row.kind != action_plan::doc::KIND {
        return Ok(Projected::default());
    }
    let plan = action_plan::doc::read(&load(store, doc).await?);
    // Lead actors are named in the diagnosis the plan draws on.
    let mut actor_names = BTreeMap::new();
    if let Some(diag) = DocumentId::parse(&plan.diagnosis)
        && let Ok(am) = load(store, &diag).await
    {
        for (id, a) in diagnosis::doc::read(&am).actors {
            actor_names.insert(id.0, a.name);
        }
    }
    let want = rows(&plan, &actor_names, doc.as_str(), row.territory_id);
    let doc_id = doc.as_str().to_owned();
    db.transaction::<_, Projected, StoreError>(move |txn| {
        Box::pin(async move {
            let mut done = Projected::default();
            reconcile::<plan_action::Entity>(
                txn,
                plan_action::Column::DocumentId,
                &doc_id,
                want.actions,
                &mut done,
            )
            .await?;
            reconcile::<plan_indicator::Entity>(
                txn,
                plan_indicator::Column::DocumentId,
                &doc_id,
                want.indicators,
                &mut done,
            )
            .await?;
            Ok(done)
        })
    })
    .await
    .map_err(StoreError::from)
}
