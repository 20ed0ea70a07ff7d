use sea_orm::entity::prelude::*;

/// One indicator of an action plan document, as projected (see `crate::projection`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_indicators")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub document_id: String,
    pub item_id: String,
    pub territory_id: i32,
    pub action_id: Option<String>,
    pub orientation_id: Option<String>,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub current: Option<f64>,
    pub target: Option<f64>,
    pub target_period: String,
    pub progress: Option<f64>,
    pub projected_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
