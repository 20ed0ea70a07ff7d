//! Terrain's database schema as sea-orm migrations, one file per step
//! (`mYYYYMMDD_NNNNNN_verb_noun.rs`), written with the schema builder only so that SQLite and
//! PostgreSQL both work. `terrain serve` and `terrain migrate` apply them.
#![forbid(unsafe_code)]

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_create_accounts;
mod m20261129_000002_create_documents;
mod m20261129_000003_create_plan_read_model;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_create_accounts::Migration),
            Box::new(m20261129_000002_create_documents::Migration),
            Box::new(m20261129_000003_create_plan_read_model::Migration),
        ]
    }
}
