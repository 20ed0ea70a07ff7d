//! Building the router and running the server until it is told to stop.

use axum::{
    Router,
    extract::State,
    http::{StatusCode, header},
    middleware,
    response::IntoResponse,
    routing::get,
    serve::ListenerExt,
};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use std::{future::Future, net::SocketAddr};
use tokio::net::TcpListener;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::{
    accounts::Accounts,
    api, assets, auth, db, metrics, offline,
    settings::Settings,
    state::AppState,
    sync::{self, SyncService, SyncStats},
};
use app::accounts::{AccountError, SharedBackend};
use leptos::prelude::provide_context;
use std::sync::Arc;

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
    let accounts = Accounts::new(db.clone(), settings.login_limits());
    let sync_stats = Arc::new(SyncStats::default());
    AppState {
        sync: SyncService::start(db.clone(), sync_stats.clone(), settings.sync_send_queue)
            .with_keepalive(std::time::Duration::from_secs(settings.sync_keepalive_secs)),
        sync_stats,
        leptos,
        settings: Arc::new(settings.clone()),
        accounts: Arc::new(accounts),
        db,
        metrics: metrics::Metrics::default(),
        assets: assets::load(&settings.site_root),
    }
}

/// The whole HTTP surface: pages (server-rendered, hydrated), the bundle, health and metrics.
pub fn router(state: AppState) -> Router {
    let page_assets = state.assets.clone();
    let shell = move || app::shell(page_assets.clone());
    let routes = route_list();
    let site_root = std::path::PathBuf::from(state.leptos.site_root.as_ref());
    let backend: SharedBackend = state.accounts.clone();
    let context = move || provide_context(backend.clone());

    let pages_and_api = Router::new()
        .merge(api::routes())
        .route("/sync", get(sync::ws::handler))
        .leptos_routes_with_context(&state, routes, context.clone(), shell.clone())
        .fallback(leptos_axum::render_app_to_stream_with_context(
            context, shell,
        ))
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::middleware::resolve_viewer,
        ));

    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .merge(pages_and_api)
        .layer(CompressionLayer::new())
        .merge(assets::routes(&site_root))
        .merge(offline::routes(&state.assets))
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The app's routes, generated once per process. Generating them runs the app with resource
/// loading suppressed through a process-wide flag (leptos_server's `SuppressResourceLoad`): a
/// page whose resource first polls while another router is being built in the same process
/// would wait forever (leptos#4773). Building every later router from this one list keeps
/// generation before the first request, whatever the number of servers in the process.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// Server functions answer every error with 500; give an [`AccountError`] its own status (401,
/// 403, 404, 409, 429, …) so HTTP clients and logs see what happened.
async fn server_fn_status(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let response = next.run(request).await;
    if !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AccountError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
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
    let mut text = state.metrics.render(up);
    state.sync_stats.render(&mut text);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
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
    // Sync frames are small and latency matters: no Nagle delay (browsers disable it too).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY");
        }
    });
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
