use sea_orm::entity::prelude::*;

/// One action of an action plan document, as projected (see `crate::projection`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub document_id: String,
    pub item_id: String,
    pub territory_id: i32,
    pub orientation_id: Option<String>,
    pub orientation: String,
    pub title: String,
    pub lead: String,
    pub status: String,
    pub progress: f64,
    pub weight: f64,
    pub start_date: String,
    pub due_date: String,
    pub budget: f64,
    pub committed: f64,
    pub projected_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
