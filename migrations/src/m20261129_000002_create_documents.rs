//! The document registry (id, territory, kind, title) and the automerge change chunks of each
//! document: incremental chunks appended as changes arrive, snapshots written by compaction.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261129_000001_create_accounts::{Territories, Users};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
    TerritoryId,
    Kind,
    Title,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DocumentChunks {
    Table,
    Id,
    DocumentId,
    Kind,
    Data,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Documents::Table)
                    .col(string_len(Documents::Id, 64).primary_key())
                    .col(integer(Documents::TerritoryId))
                    .col(string_len(Documents::Kind, 16))
                    .col(string(Documents::Title))
                    .col(integer_null(Documents::CreatedBy))
                    .col(timestamp_with_time_zone(Documents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Documents::Table, Documents::TerritoryId)
                            .to(Territories::Table, Territories::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Documents::Table, Documents::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_documents_territory")
                    .table(Documents::Table)
                    .col(Documents::TerritoryId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DocumentChunks::Table)
                    .col(big_pk_auto(DocumentChunks::Id))
                    .col(string_len(DocumentChunks::DocumentId, 64))
                    .col(string_len(DocumentChunks::Kind, 16))
                    .col(blob(DocumentChunks::Data))
                    .col(timestamp_with_time_zone(DocumentChunks::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DocumentChunks::Table, DocumentChunks::DocumentId)
                            .to(Documents::Table, Documents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_document_chunks_document")
                    .table(DocumentChunks::Table)
                    .col(DocumentChunks::DocumentId)
                    .col(DocumentChunks::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DocumentChunks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Documents::Table).to_owned())
            .await
    }
}
