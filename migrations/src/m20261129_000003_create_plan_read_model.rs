//! The action plans' read model: one row per action and per indicator of every action plan
//! document, projected by the server from the documents on every stored change, so that the
//! managers' portfolio answers across territories without loading documents.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PlanActions {
    Table,
    Id,
    DocumentId,
    ItemId,
    TerritoryId,
    OrientationId,
    Orientation,
    Title,
    Lead,
    Status,
    Progress,
    Weight,
    StartDate,
    DueDate,
    Budget,
    Committed,
    ProjectedAt,
}

#[derive(DeriveIden)]
enum PlanIndicators {
    Table,
    Id,
    DocumentId,
    ItemId,
    TerritoryId,
    ActionId,
    OrientationId,
    Name,
    Unit,
    Baseline,
    Current,
    Target,
    TargetPeriod,
    Progress,
    ProjectedAt,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PlanActions::Table)
                    .col(big_pk_auto(PlanActions::Id))
                    .col(string_len(PlanActions::DocumentId, 64))
                    .col(string_len(PlanActions::ItemId, 64))
                    .col(integer(PlanActions::TerritoryId))
                    .col(string_len_null(PlanActions::OrientationId, 64))
                    .col(string(PlanActions::Orientation))
                    .col(string(PlanActions::Title))
                    .col(string(PlanActions::Lead))
                    .col(string_len(PlanActions::Status, 16))
                    .col(double(PlanActions::Progress))
                    .col(double(PlanActions::Weight))
                    .col(string_len(PlanActions::StartDate, 10))
                    .col(string_len(PlanActions::DueDate, 10))
                    .col(double(PlanActions::Budget))
                    .col(double(PlanActions::Committed))
                    .col(timestamp_with_time_zone(PlanActions::ProjectedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlanActions::Table, PlanActions::DocumentId)
                            .to(Documents::Table, Documents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_actions_item")
                    .table(PlanActions::Table)
                    .col(PlanActions::DocumentId)
                    .col(PlanActions::ItemId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_actions_territory_status")
                    .table(PlanActions::Table)
                    .col(PlanActions::TerritoryId)
                    .col(PlanActions::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanIndicators::Table)
                    .col(big_pk_auto(PlanIndicators::Id))
                    .col(string_len(PlanIndicators::DocumentId, 64))
                    .col(string_len(PlanIndicators::ItemId, 64))
                    .col(integer(PlanIndicators::TerritoryId))
                    .col(string_len_null(PlanIndicators::ActionId, 64))
                    .col(string_len_null(PlanIndicators::OrientationId, 64))
                    .col(string(PlanIndicators::Name))
                    .col(string(PlanIndicators::Unit))
                    .col(double_null(PlanIndicators::Baseline))
                    .col(double_null(PlanIndicators::Current))
                    .col(double_null(PlanIndicators::Target))
                    .col(string_len(PlanIndicators::TargetPeriod, 16))
                    .col(double_null(PlanIndicators::Progress))
                    .col(timestamp_with_time_zone(PlanIndicators::ProjectedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PlanIndicators::Table, PlanIndicators::DocumentId)
                            .to(Documents::Table, Documents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_indicators_item")
                    .table(PlanIndicators::Table)
                    .col(PlanIndicators::DocumentId)
                    .col(PlanIndicators::ItemId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_plan_indicators_territory")
                    .table(PlanIndicators::Table)
                    .col(PlanIndicators::TerritoryId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlanIndicators::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PlanActions::Table).to_owned())
            .await
    }
}
