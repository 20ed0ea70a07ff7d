//! The browser side of [`super::LiveDoc`]: IndexedDB, the WebSocket, reconnection, presence.
//! Single-threaded: one `Rc<RefCell<Runtime>>` per open document; signals are set after the
//! borrow ends, so a re-render never finds the runtime borrowed.

use super::{
    LiveDoc, Presence, SyncStatus,
    idb::{COMPACT_AFTER, DeviceStore, StorageError},
    status::away_summary,
    timing,
};
use crate::{
    accounts::DocumentInfo,
    model::record::sign,
    sync::{Client, ClientEffect, DocumentId, PeerId, ReplicaStatus},
};
use automerge::{AutoCommit, AutomergeError, ChangeHash, transaction::CommitOptions};
use leptos::prelude::*;
use std::{cell::RefCell, collections::BTreeMap, rc::Rc, time::Duration};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{BinaryType, MessageEvent, WebSocket};

/// Presence older than this is dropped (peers refresh theirs every 10 s).
const PRESENCE_TTL_MS: f64 = 30_000.0;
const HEARTBEAT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Handle(Rc<RefCell<Runtime>>);

struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

struct Runtime {
    id: DocumentId,
    me: String,
    live: LiveDoc,
    client: Client,
    open: bool,
    store: Option<Rc<DeviceStore>>,
    next_seq: u64,
    chunks: usize,
    socket: Option<Socket>,
    attempt: u32,
    offline_since: Option<String>,
    refused: bool,
    unavailable: bool,
    error: Option<String>,
    /// Heads when this device last had a connection: the base of "while you were away".
    away_base: Option<Vec<ChangeHash>>,
    /// When the connection came back (ms since the epoch): changes made before it by others
    /// were made while this device was away.
    back_at: Option<f64>,
    /// When the current resync began (performance clock), until caught up.
    resync_started: Option<f64>,
    presence: BTreeMap<String, (Presence, f64)>,
    editing: Option<String>,
    stopped: bool,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn hh_mm() -> String {
    let d = js_sys::Date::new_0();
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

fn sync_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/sync", location.host().ok()?))
}

impl Handle {
    pub fn start(id: DocumentId, info: DocumentInfo, live: LiveDoc) -> Self {
        let peer = PeerId(format!(
            "browser-{}",
            &automerge::ActorId::random().to_hex_string()[..12]
        ));
        let handle = Handle(Rc::new(RefCell::new(Runtime {
            id: id.clone(),
            me: info.me.clone(),
            live,
            client: Client::new(peer),
            open: false,
            store: None,
            next_seq: 0,
            chunks: 0,
            socket: None,
            attempt: 0,
            offline_since: None,
            refused: false,
            unavailable: false,
            error: None,
            away_base: None,
            back_at: None,
            resync_started: None,
            presence: BTreeMap::new(),
            editing: None,
            stopped: false,
        })));
        let h = handle.clone();
        leptos::task::spawn_local(async move {
            h.load(info).await;
            h.connect();
            h.heartbeat();
            let online = h.clone();
            let listener = window_event_listener(leptos::ev::online, move |_| {
                online.0.borrow_mut().attempt = 0;
                online.connect();
            });
            // The browser knows before the socket does (and an emulated "offline" leaves open
            // sockets alone): drop the connection at once, changes stay safe on this device.
            let offline = h.clone();
            let gone = window_event_listener(leptos::ev::offline, move |_| offline.drop_socket());
            on_cleanup(move || {
                listener.remove();
                gone.remove();
            });
        });
        handle
    }

    async fn load(&self, info: DocumentInfo) {
        let started = timing::now();
        let id = self.0.borrow().id.clone();
        let store = match DeviceStore::open().await {
            Ok(s) => Some(Rc::new(s)),
            Err(e) => {
                self.0.borrow_mut().error = Some(e.to_string());
                None
            }
        };
        let mut doc = AutoCommit::new();
        let mut sync = None;
        let mut next = 0;
        let mut chunks = 0;
        if let Some(store) = &store {
            match store.load(id.as_str()).await {
                Ok(stored) => {
                    for chunk in &stored.chunks {
                        if let Err(e) = doc.load_incremental(chunk) {
                            self.0.borrow_mut().error = Some(format!("device storage: {e}"));
                        }
                    }
                    chunks = stored.chunks.len();
                    next = stored.next;
                    sync = stored.sync;
                }
                Err(e) => self.0.borrow_mut().error = Some(e.to_string()),
            }
            if let Ok(meta) = serde_json::to_string(&info) {
                let _ = store.put_meta(id.as_str(), &meta).await;
            }
        }
        // Whatever the device had counts as saved: new saves continue from here.
        let _ = doc.save_incremental();
        {
            let mut rt = self.0.borrow_mut();
            rt.store = store;
            rt.next_seq = next;
            rt.chunks = chunks;
            if !doc.get_heads().is_empty() {
                rt.away_base = Some(doc.get_heads());
            }
            let effects = rt.client.open(id, doc, sync.as_deref());
            rt.open = true;
            let live = rt.live;
            drop(rt);
            // Show what this device has at once, before (or without) the server.
            live.version.update(|v| *v += 1);
            timing::record("terrain:open-local", started);
            self.carry_out(effects);
        }
        self.refresh();
    }

    /// Opens the WebSocket if there is none.
    fn connect(&self) {
        let mut rt = self.0.borrow_mut();
        if rt.stopped || rt.socket.is_some() || rt.unavailable {
            return;
        }
        let Some(url) = sync_url() else { return };
        let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
        if !online {
            // The `online` event will call again.
            return;
        }
        let Ok(ws) = WebSocket::new(&url) else {
            drop(rt);
            self.closed();
            return;
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        let h = self.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || {
            let join = h.0.borrow_mut().client.connected();
            h.send(join);
        });
        let h = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Ok(buf) = e.data().dyn_into::<js_sys::ArrayBuffer>() {
                let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                let effects = h.0.borrow_mut().client.frame(&bytes);
                h.carry_out(effects);
            }
        });
        let h = self.clone();
        let on_close = Closure::<dyn FnMut()>::new(move || h.closed());
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        rt.socket = Some(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        });
    }

    /// Closes the socket as if the network had dropped it.
    fn drop_socket(&self) {
        let socket = self.0.borrow_mut().socket.take();
        if let Some(s) = socket {
            s.ws.set_onclose(None);
            let _ = s.ws.close();
        }
        self.closed();
    }

    /// The socket closed (or could not open): offline until the next attempt.
    fn closed(&self) {
        let delay = {
            let mut rt = self.0.borrow_mut();
            if let Some(s) = rt.socket.take() {
                s.ws.set_onclose(None);
                s.ws.set_onmessage(None);
                s.ws.set_onopen(None);
            }
            rt.client.disconnected();
            if rt.offline_since.is_none() {
                rt.offline_since = Some(hh_mm());
            }
            // Leaving a live connection starts a new absence; a failed attempt while away
            // does not.
            if rt.away_base.is_none() || rt.back_at.is_some() {
                rt.back_at = None;
                rt.away_base = rt.client.replica(&rt.id).map(|r| r.doc.clone().get_heads());
            }
            rt.presence.clear();
            if rt.stopped || rt.unavailable {
                return;
            }
            rt.attempt = rt.attempt.saturating_add(1);
            // 0.5 s doubling up to 30 s, then a random half to a full of that, so that a
            // restarted server is not hit by every browser at once.
            let base = (500.0 * 2f64.powi(rt.attempt.min(6) as i32)).min(30_000.0);
            base * (0.5 + 0.5 * js_sys::Math::random())
        };
        self.refresh();
        let h = self.clone();
        set_timeout(move || h.connect(), Duration::from_millis(delay as u64));
    }

    fn send(&self, frame: Vec<u8>) {
        let rt = self.0.borrow();
        if let Some(s) = &rt.socket {
            let _ = s.ws.send_with_u8_array(&frame);
        }
    }

    fn carry_out(&self, effects: Vec<ClientEffect>) {
        let mut persist = false;
        let mut acknowledged = false;
        let mut changed = false;
        for effect in effects {
            match effect {
                ClientEffect::Send(frame) => self.send(frame),
                ClientEffect::Ready => {
                    let mut rt = self.0.borrow_mut();
                    rt.attempt = 0;
                    rt.offline_since = None;
                    rt.back_at = Some(now_ms());
                    rt.resync_started = Some(timing::now());
                    drop(rt);
                    self.announce();
                }
                ClientEffect::Changed(_) => {
                    persist = true;
                    changed = true;
                }
                ClientEffect::Acknowledged(_) => acknowledged = true,
                ClientEffect::Unavailable(_) => self.0.borrow_mut().unavailable = true,
                ClientEffect::Refused(_, _) => self.0.borrow_mut().refused = true,
                ClientEffect::Error(e) => self.0.borrow_mut().error = Some(e),
                ClientEffect::Ephemeral { sender, data, .. } => {
                    if let Some(p) = Presence::from_cbor(&data) {
                        self.0.borrow_mut().presence.insert(sender.0, (p, now_ms()));
                    }
                }
            }
        }
        if persist {
            self.save(acknowledged);
        } else if acknowledged {
            self.save_sync_state();
        }
        self.publish_presence();
        if changed {
            self.update_away();
            self.0.borrow().live.version.update(|v| *v += 1);
        }
        self.refresh();
    }

    /// Saves changes from elsewhere (and the sync state) to IndexedDB.
    fn save(&self, with_sync: bool) {
        let Some(job) = self.0.borrow_mut().save_job(with_sync) else {
            return;
        };
        let h = self.clone();
        leptos::task::spawn_local(async move {
            h.finish(job.run().await);
        });
    }

    fn save_sync_state(&self) {
        let (store, id, sync) = {
            let rt = self.0.borrow();
            (
                rt.store.clone(),
                rt.id.clone(),
                rt.client.sync_state(&rt.id),
            )
        };
        if let (Some(store), Some(sync)) = (store, sync) {
            leptos::task::spawn_local(async move {
                let _ = store.put_sync(id.as_str(), &sync).await;
            });
        }
    }

    fn update_away(&self) {
        let mut rt = self.0.borrow_mut();
        let (Some(base), Some(back_at)) = (rt.away_base.clone(), rt.back_at) else {
            return;
        };
        let id = rt.id.clone();
        let me = rt.me.clone();
        let live = rt.live;
        let Some(doc) = rt.client.doc_mut(&id) else {
            return;
        };
        let actor = doc.get_actor().clone();
        let mut summary = away_summary(doc, &base, &actor, "?", Some(back_at as i64));
        summary.authors.retain(|(name, _)| *name != me);
        drop(rt);
        if !summary.is_empty() {
            live.away.set(Some(summary));
        }
    }

    /// Recomputes the status the page shows.
    fn refresh(&self) {
        let (live, status) = {
            let mut rt = self.0.borrow_mut();
            let id = rt.id.clone();
            let pending = rt.client.pending(&id);
            let replica = rt.client.replica(&id).map(|r| r.status.clone());
            let status = if !rt.open {
                SyncStatus::Loading
            } else if rt.unavailable || replica == Some(ReplicaStatus::Unavailable) {
                SyncStatus::Unavailable
            } else if rt.refused {
                SyncStatus::Refused
            } else if let Some(e) = &rt.error {
                SyncStatus::Error(e.clone())
            } else if !rt.client.is_connected() {
                SyncStatus::Offline {
                    since: rt.offline_since.clone().unwrap_or_else(hh_mm),
                    pending,
                }
            } else if pending > 0
                || replica == Some(ReplicaStatus::Waiting)
                || !rt.client.caught_up(&id)
            {
                SyncStatus::Syncing { pending }
            } else {
                SyncStatus::Synced
            };
            if status == SyncStatus::Synced
                && let Some(started) = rt.resync_started.take()
            {
                timing::record("terrain:resync", started);
            }
            (rt.live, status)
        };
        if live.status.get_untracked() != status {
            live.status.set(status);
        }
    }

    pub fn read<R>(&self, f: impl FnOnce(&AutoCommit) -> R) -> Option<R> {
        let rt = self.0.try_borrow().ok()?;
        if !rt.open {
            return None;
        }
        rt.client.replica(&rt.id).map(|r| f(&r.doc))
    }

    pub fn edit(&self, f: impl FnOnce(&mut AutoCommit) -> Result<(), AutomergeError>) {
        {
            let mut rt = self.0.borrow_mut();
            let id = rt.id.clone();
            let me = rt.me.clone();
            let Some(doc) = rt.client.doc_mut(&id) else {
                return;
            };
            let before = doc.get_heads();
            let result = sign(doc, &me).and_then(|()| f(doc));
            if let Err(e) = result {
                doc.rollback();
                rt.error = Some(e.to_string());
                drop(rt);
                self.refresh();
                return;
            }
            // Stamped with the time, so that "while you were away" can tell changes made
            // during an absence from those made live afterwards.
            doc.commit_with(CommitOptions::default().with_time(now_ms() as i64));
            if doc.get_heads() == before {
                return;
            }
        }
        self.0.borrow().live.version.update(|v| *v += 1);
        self.save_then_send();
    }

    /// A local change: saved to IndexedDB first, sent once saved.
    fn save_then_send(&self) {
        let job = self.0.borrow_mut().save_job(false);
        let h = self.clone();
        leptos::task::spawn_local(async move {
            if let Some(job) = job {
                h.finish(job.run().await);
            }
            let effects = {
                let mut rt = h.0.borrow_mut();
                let id = rt.id.clone();
                rt.client.changed_locally(&id)
            };
            h.carry_out(effects);
        });
    }

    fn finish(&self, result: Result<(), StorageError>) {
        if let Err(e) = result {
            self.0.borrow_mut().error = Some(e.to_string());
        }
        self.refresh();
    }

    pub fn editing(&self, item: Option<String>) {
        {
            let mut rt = self.0.borrow_mut();
            if rt.editing == item {
                return;
            }
            rt.editing = item;
        }
        self.announce();
    }

    /// Sends this page's presence.
    fn announce(&self) {
        let frame = {
            let mut rt = self.0.borrow_mut();
            let presence = Presence {
                name: rt.me.clone(),
                editing: rt.editing.clone(),
            };
            let id = rt.id.clone();
            rt.client.ephemeral(&id, presence.to_cbor())
        };
        if let Some(frame) = frame {
            self.send(frame);
        }
    }

    /// Every 10 s: announce ourselves again and forget peers not heard from in 30 s.
    fn heartbeat(&self) {
        let h = self.clone();
        let tick = move || {
            if h.0.borrow().stopped {
                return;
            }
            h.announce();
            h.publish_presence();
        };
        if let Ok(handle) = set_interval_with_handle(tick, HEARTBEAT) {
            on_cleanup(move || handle.clear());
        }
    }

    fn publish_presence(&self) {
        let (live, list) = {
            let mut rt = self.0.borrow_mut();
            let now = now_ms();
            rt.presence.retain(|_, (_, at)| now - *at < PRESENCE_TTL_MS);
            let list: Vec<(String, Presence)> = rt
                .presence
                .iter()
                .map(|(peer, (p, _))| (peer.clone(), p.clone()))
                .collect();
            (rt.live, list)
        };
        if live.presence.get_untracked() != list {
            live.presence.set(list);
        }
    }

    pub fn stop(&self) {
        let mut rt = self.0.borrow_mut();
        rt.stopped = true;
        if let Some(s) = rt.socket.take() {
            s.ws.set_onclose(None);
            let _ = s.ws.close();
        }
    }
}

/// One write to IndexedDB: the changes since the last save, the sync state, and a snapshot
/// replacing every earlier chunk when enough have piled up.
struct SaveJob {
    store: Rc<DeviceStore>,
    id: DocumentId,
    seq: u64,
    chunk: Vec<u8>,
    sync: Option<Vec<u8>>,
    snapshot: Option<Vec<u8>>,
}

impl SaveJob {
    async fn run(self) -> Result<(), StorageError> {
        let id = self.id.as_str();
        if self.chunk.is_empty() {
            if let Some(sync) = &self.sync {
                self.store.put_sync(id, sync).await?;
            }
            return Ok(());
        }
        self.store
            .append(id, self.seq, &self.chunk, self.sync.as_deref())
            .await?;
        if let Some(snapshot) = &self.snapshot {
            self.store.compact(id, self.seq + 1, snapshot).await?;
        }
        Ok(())
    }
}

impl Runtime {
    fn save_job(&mut self, with_sync: bool) -> Option<SaveJob> {
        let store = self.store.clone()?;
        let id = self.id.clone();
        let snapshot_due = self.chunks + 1 >= COMPACT_AFTER;
        let doc = self.client.doc_mut(&id)?;
        let chunk = doc.save_incremental();
        if chunk.is_empty() && !with_sync {
            return None;
        }
        let snapshot = (snapshot_due && !chunk.is_empty()).then(|| doc.save());
        let sync = if with_sync {
            self.client.sync_state(&id)
        } else {
            None
        };
        let seq = self.next_seq;
        if !chunk.is_empty() {
            self.next_seq += if snapshot.is_some() { 2 } else { 1 };
            self.chunks = if snapshot.is_some() {
                1
            } else {
                self.chunks + 1
            };
        }
        Some(SaveJob {
            store,
            id,
            seq,
            chunk,
            sync,
            snapshot,
        })
    }
}
