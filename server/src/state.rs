//! What every handler can reach.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub leptos: LeptosOptions,
    pub db: DatabaseConnection,
    pub metrics: Metrics,
    pub assets: app::Assets,
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
