//! `GET /sync`: the WebSocket endpoint. Authentication happens before the upgrade (session
//! cookie, bearer token or `?token=`); every message is then authorized by the hub per document.

use super::{MAX_FRAME, SyncService, queue::SendQueue};
use crate::state::AppState;
use app::accounts::Viewer;
use app::sync::{ConnId, Message as WireMessage, PeerId, SyncEvent};
use axum::{
    Extension,
    extract::{
        State,
        ws::{Message, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use std::sync::atomic::{AtomicU64, Ordering};

pub async fn handler(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let Some(user) = viewer.user else {
        return (StatusCode::UNAUTHORIZED, "sign in or pass a token\n").into_response();
    };
    let upgrade = match upgrade {
        Ok(u) => u,
        Err(rejection) => return rejection.into_response(),
    };
    let service = state.sync.clone();
    upgrade
        // Small buffers: thousands of idle connections must stay cheap.
        .read_buffer_size(128)
        .write_buffer_size(0)
        .max_message_size(MAX_FRAME)
        .max_frame_size(MAX_FRAME)
        .on_upgrade(move |socket: WebSocket| async move {
            let (sink, stream) = socket.split();
            serve_connection(service, user.id, sink, stream).await;
        })
}

/// Runs one connection until either side ends it. Generic over the socket halves so tests can
/// drive it with channels.
pub async fn serve_connection<Si, St, E>(
    service: SyncService,
    user: i32,
    mut sink: Si,
    mut stream: St,
) where
    Si: Sink<Message> + Unpin + Send,
    St: Stream<Item = Result<Message, E>> + Unpin + Send,
{
    let queue = SendQueue::new(service.send_queue);
    let conn: ConnId = service.open(user, queue.clone());
    let keepalive = service.keepalive;
    let started = tokio::time::Instant::now();
    // Milliseconds since `started` at which the peer was last heard from.
    let heard = AtomicU64::new(0);
    let writer = async {
        let mut ping = tokio::time::interval_at(started + keepalive, keepalive);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                out = queue.next() => match out {
                    Some(frame) => {
                        if sink.send(Message::Binary(frame.into())).await.is_err() {
                            break;
                        }
                    }
                    None => {
                        let _ = sink.send(Message::Close(None)).await;
                        break;
                    }
                },
                now = ping.tick() => {
                    // A peer silent for two intervals, pongs included, is gone (a laptop
                    // closed, a phone out of coverage): free its place.
                    let now_ms = now.duration_since(started).as_millis() as u64;
                    let silent = now_ms.saturating_sub(heard.load(Ordering::Relaxed));
                    if silent > 2 * keepalive.as_millis() as u64 {
                        let _ = sink.send(Message::Close(None)).await;
                        break;
                    }
                    if sink.send(Message::Ping(Default::default())).await.is_err() {
                        break;
                    }
                }
            }
        }
    };
    let reader = async {
        while let Some(Ok(message)) = stream.next().await {
            heard.store(started.elapsed().as_millis() as u64, Ordering::Relaxed);
            match message {
                Message::Binary(bytes) => service.event(SyncEvent::Frame(conn, bytes.to_vec())),
                Message::Text(_) => {
                    let refusal = WireMessage::Error {
                        message: "text frames are not part of the protocol: send binary CBOR"
                            .into(),
                        sender: Some(PeerId("terrain".into())),
                        target: None,
                    };
                    let _ = queue.push(refusal.encode());
                    // The writer sends the refusal, then the close, and that ends the connection.
                    queue.close();
                }
                Message::Close(_) => break,
                Message::Ping(_) | Message::Pong(_) => {}
            }
        }
    };
    tokio::select! {
        () = writer => {},
        () = reader => {},
    }
    service.event(SyncEvent::Disconnected(conn));
}
