//! A minimal samod sync server (the Rust automerge-repo), for the load generator's side-by-side
//! figures: a tokio repo in memory whose acceptor takes every WebSocket, on any path. Prints
//! `listening on <port>` when ready. Built only with `--features samod`, never in CI:
//!
//! ```sh
//! cargo build --release -p terrain-tests --features samod --bin samod_server
//! ```
#![allow(clippy::unwrap_used, clippy::print_stdout)] // a benchmark fixture: failing loudly is right

use axum::{Router, extract::ws::WebSocketUpgrade, routing::get, serve::ListenerExt};

#[tokio::main]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let repo = samod::Repo::build_tokio().load().await;
    let acceptor = repo
        .make_acceptor(url::Url::parse("ws://127.0.0.1/").unwrap())
        .unwrap();
    // Any path: the load generator's clients ask for `/sync?token=…`.
    let app = Router::new().fallback(get(move |upgrade: WebSocketUpgrade| {
        let acceptor = acceptor.clone();
        async move {
            upgrade.on_upgrade(move |socket| async move {
                if let Err(e) = acceptor.accept_axum(socket, None) {
                    eprintln!("samod refused a connection: {e:?}");
                }
            })
        }
    }));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    println!("listening on {}", listener.local_addr().unwrap().port());
    // As terrain and the JS `ws` server do.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await.unwrap();
}
