//! What every handler can reach.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

use crate::{
    accounts::Accounts,
    metrics::Metrics,
    settings::Settings,
    sync::{SyncService, SyncStats},
};

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub settings: Arc<Settings>,
    pub db: DatabaseConnection,
    pub accounts: Arc<Accounts>,
    pub metrics: Metrics,
    pub assets: app::Assets,
    pub sync: SyncService,
    pub sync_stats: Arc<SyncStats>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<AppState> for Metrics {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}
