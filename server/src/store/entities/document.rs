use sea_orm::entity::prelude::*;

/// `id` is the automerge-repo document id (bs58check of 16 bytes).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub territory_id: i32,
    pub kind: String,
    pub title: String,
    pub created_by: Option<i32>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
