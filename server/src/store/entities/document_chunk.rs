use sea_orm::entity::prelude::*;

/// `kind` is `snapshot` (a whole saved document) or `incremental` (changes since).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_chunks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub document_id: String,
    pub kind: String,
    pub data: Vec<u8>,
    pub created_at: ChronoDateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
