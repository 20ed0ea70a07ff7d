//! Building the router and running the server until it is told to stop.

use axum::{
    Router,
    extract::State,
    http::{StatusCode, header},
    middleware,
    response::IntoResponse,
    routing::get,
};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use std::{future::Future, net::SocketAddr};
use tokio::net::TcpListener;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::{assets, db, metrics, settings::Settings, state::AppState};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(
        "{addr} is already in use: stop the program holding it or set TERRAIN_ADDR to another port"
    )]
    AddrInUse { addr: SocketAddr },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
}

/// Binds the configured address, with a clear message when the port is taken.
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, StartupError> {
    TcpListener::bind(addr).await.map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            StartupError::AddrInUse { addr }
        } else {
            StartupError::Bind { addr, source }
        }
    })
}

/// Everything the router needs, built from settings and an open database.
pub fn state(settings: &Settings, db: DatabaseConnection) -> AppState {
    let leptos = LeptosOptions::builder()
        .output_name("terrain")
        .site_root(settings.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .build();
    AppState {
        leptos,
        db,
        metrics: metrics::Metrics::default(),
        assets: assets::load(&settings.site_root),
    }
}

/// The whole HTTP surface: pages (server-rendered, hydrated), the bundle, health and metrics.
pub fn router(state: AppState) -> Router {
    let page_assets = state.assets.clone();
    let shell = move || app::shell(page_assets.clone());
    let routes = generate_route_list(app::App);
    let site_root = std::path::PathBuf::from(state.leptos.site_root.as_ref());

    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .leptos_routes(&state, routes, shell.clone())
        .fallback(leptos_axum::render_app_to_stream(shell))
        .layer(CompressionLayer::new())
        .merge(assets::routes(&site_root))
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if db::ping(&state.db).await {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n")
    }
}

async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    let up = db::ping(&state.db).await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(up),
    )
}

/// Serves on `listener` until `shutdown` completes, then drains requests and closes the
/// database.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    let db = state.db.clone();
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(StartupError::Serve)?;
    if let Err(e) = db.close().await {
        tracing::warn!(error = %e, "closing the database");
    }
    Ok(())
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
