//! The database behind Terrain, through sea-orm: entities and the errors of the store.

pub mod entities;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("database transaction: {0}")]
    Transaction(String),
}

impl From<sea_orm::TransactionError<StoreError>> for StoreError {
    fn from(e: sea_orm::TransactionError<StoreError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => StoreError::Db(db),
            sea_orm::TransactionError::Transaction(inner) => inner,
        }
    }
}

impl From<StoreError> for app::accounts::AccountError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store error");
        app::accounts::AccountError::Internal
    }
}
