//! Load generator for the sync server: speaks the automerge-repo protocol with no throttle and
//! prints figures. Not a test: nothing here passes or fails.
//!
//! ```sh
//! cargo run --release -p terrain-tests --bin loadgen            # terrain vs the JS reference
//! ```
//!
//! Measures, against `target/release/terrain` (SQLite, WAL), the reference automerge-repo JS
//! server (`tests/bench/js-server.mjs`, in memory) and, when built, a minimal samod server
//! (`src/bin/samod_server.rs`, in memory) in the same run:
//! - fan-out latency p50/p99 from one writer to 1, 10 and 100 readers: to the frame's arrival
//!   at each reader's socket, and to the reader having applied it (the readers' automerge work
//!   runs on one thread of its own, apart from the sockets; see `spawn_reader`);
//! - sustained changes per second on one document (applied, stored, fanned out to a reader);
//! - server RSS with 1,000 and 5,000 idle connections, and fan-out latency meanwhile;
//! - cold load of a large document (terrain only: the JS server keeps nothing);
//! - the machine's floor for the fan-out: the same traffic over loopback TCP with nothing of a
//!   sync server in it (see `floor`).
#![allow(clippy::unwrap_used, clippy::print_stdout)] // a benchmark that cannot set up has nothing to report

mod floor;

use app::sync::{DocumentId, Message, PeerId};
use automerge::{
    ROOT, ReadDoc,
    sync::{self, SyncDoc},
};
use futures_util::{SinkExt, StreamExt};
use std::{
    net::SocketAddr,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};
use terrain_tests::{
    process::binary,
    sync_client::{Socket, SyncClient},
};
use tokio::{runtime::Handle, sync::mpsc};
use tokio_tungstenite::{connect_async, tungstenite::Message as Ws};

struct Target {
    name: &'static str,
    addr: SocketAddr,
    token: String,
    doc: DocumentId,
    pid: u32,
    /// Whether documents must be registered first (terrain) or are created by the first sync.
    registered: bool,
    _child: ChildGuard,
}

struct ChildGuard(Child);
impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn terrain_cli(db: &str, args: &[&str]) -> String {
    let out = Command::new(binary())
        .args(args)
        .env("DATABASE_URL", db)
        .env("TERRAIN_LOG", "off")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

async fn start_terrain(dir: &std::path::Path) -> Target {
    let db = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    terrain_cli(&db, &["demo"]);
    let token = terrain_cli(
        &db,
        &["token", "create", "--email", "salma.benali@terrain.demo"],
    )
    .split_whitespace()
    .last()
    .unwrap()
    .to_owned();
    let (child, addr) = serve(&db);
    Target {
        name: "terrain",
        addr,
        doc: registered_doc(addr, &token).await,
        token,
        pid: child.id(),
        registered: true,
        _child: ChildGuard(child),
    }
}

fn start_js() -> Option<Target> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/js-server.mjs");
    let mut cmd = Command::new("node");
    cmd.arg(script)
        .arg("0")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    start_in_memory("automerge-repo JS", &mut cmd)
}

/// The samod server (`--features samod`), if it was built beside this binary.
fn start_samod() -> Option<Target> {
    let exe = std::env::current_exe().ok()?.with_file_name("samod_server");
    if !exe.exists() {
        return None;
    }
    start_in_memory("samod", Command::new(exe).arg("0"))
}

/// A server that keeps documents in memory and creates them on first sync, started by `cmd`,
/// which prints `listening on <port>`.
fn start_in_memory(name: &'static str, cmd: &mut Command) -> Option<Target> {
    let (child, port_line) = spawn_until_line(cmd, "listening on ")?;
    let port: u16 = port_line.trim().parse().ok()?;
    Some(Target {
        name,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        token: String::new(),
        doc: unregistered_doc(),
        pid: child.id(),
        registered: false,
        _child: ChildGuard(child),
    })
}

/// `terrain serve` on a free port.
fn serve(db: &str) -> (Child, SocketAddr) {
    spawn_until(
        Command::new(binary())
            .arg("serve")
            .env("TERRAIN_ADDR", "127.0.0.1:0")
            .env("DATABASE_URL", db)
            .env("TERRAIN_LOG", "off"),
        "terrain listening on http://",
    )
}

fn spawn_until(cmd: &mut Command, prefix: &str) -> (Child, SocketAddr) {
    let (child, rest) = spawn_until_line(cmd, prefix).expect("server start");
    (child, rest.trim().parse().unwrap())
}

fn spawn_until_line(cmd: &mut Command, prefix: &str) -> Option<(Child, String)> {
    use std::io::{BufRead, BufReader};
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut reader = BufReader::new(child.stdout.take()?);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        if let Some(rest) = line.trim().strip_prefix(prefix) {
            let rest = rest.to_owned();
            std::thread::spawn(move || for _ in reader.lines() {});
            return Some((child, rest));
        }
    }
}

async fn client(t: &Target, name: &str) -> SyncClient {
    let mut c = SyncClient::connect(t.addr, &t.token, name).await.unwrap();
    c.open(&t.doc);
    c
}

/// The writer seeds the document where the server does not create it.
async fn seed(t: &Target) -> SyncClient {
    let mut w = client(t, "writer").await;
    if !t.registered {
        w.put(&t.doc, "title", "bench").await.unwrap();
    }
    w.sync(Duration::from_millis(300)).await.unwrap();
    w
}

/// When a reader got change `k`: when the frame carrying it was read off the socket, and when
/// the reader had applied it.
struct Seen {
    k: u32,
    arrived: Instant,
    applied: Instant,
}

/// A reader, split in two so that its arrival time is not taken after other readers' automerge
/// work (100 readers share the machine's two cores with the server here; in the field each has
/// its own). The socket side, on the main runtime (which owns the sockets), only reads frames
/// and notes when each arrived. The peer side, on a runtime of its own whose thread runs at
/// SCHED_IDLE in the fan-out scenarios (see `peers_runtime`), applies them and replies as any
/// automerge-repo peer would, then reports every key `k<n>` that appeared.
///
/// With `catch_up`, frames that piled up while the peer side was busy are taken together, as
/// the hub takes its backlog: their changes applied in one pass over the document, then each
/// message through the sync state, then one reply. Applying costs a pass over the document
/// whatever the number of changes, so a reader taking one message at a time on a growing
/// document spent more CPU time than the server (81% of the load generator's samples in the
/// throughput scenario), on the two cores they share. The fan-out scenarios, whose arrival
/// times are per frame, take frames one at a time.
fn spawn_reader(
    c: SyncClient,
    doc: DocumentId,
    peers: &Handle,
    seen: mpsc::UnboundedSender<Seen>,
    catch_up: bool,
) {
    let (mut socket, me, server, mut am, mut state) = c.into_parts(&doc).unwrap();
    let (frames, mut arrived) = mpsc::unbounded_channel();
    let (replies, mut to_send) = mpsc::unbounded_channel::<Vec<u8>>();
    // The socket is the socket side's alone: the peer side hands it replies, and never holds a
    // lock on it while the scheduler makes it wait.
    tokio::spawn(async move {
        loop {
            tokio::select! {
                m = socket.next() => {
                    let at = Instant::now();
                    match m {
                        Some(Ok(Ws::Binary(b))) => {
                            if frames.send((b, at)).is_err() {
                                return;
                            }
                        }
                        Some(Ok(_)) => {}
                        _ => return,
                    }
                }
                Some(reply) = to_send.recv() => {
                    if socket.send(Ws::Binary(reply.into())).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
    peers.spawn(async move {
        let mut next = 0u32;
        while let Some((frame, mut at)) = arrived.recv().await {
            let mut frames = vec![frame];
            while catch_up && let Ok((frame, later)) = arrived.try_recv() {
                frames.push(frame);
                at = later;
            }
            let mut messages = Vec::with_capacity(frames.len());
            for frame in frames {
                let Ok(Message::Sync { data, .. }) = Message::decode(&frame) else {
                    continue;
                };
                let Ok(m) = sync::Message::decode(&data) else {
                    return;
                };
                messages.push(m);
            }
            if messages.len() > 1 {
                let changes: Vec<u8> = messages
                    .iter()
                    .flat_map(|m| m.changes.iter().flatten().copied())
                    .collect();
                // Should the batch be refused, each message applies its own changes below.
                let _ = am.load_incremental(&changes);
            }
            for m in messages {
                // As Terrain's own clients take it (`app::sync::receive_sync_message`).
                if app::sync::receive_sync_message(&mut am, &mut state, m).is_err() {
                    return;
                }
            }
            if let Some(reply) = am.sync().generate_sync_message(&mut state) {
                let frame = Message::Sync {
                    document: doc.clone(),
                    sender: me.clone(),
                    target: server.clone(),
                    data: reply.encode(),
                };
                if replies.send(frame.encode()).is_err() {
                    return;
                }
            }
            while am.get(ROOT, format!("k{next}")).ok().flatten().is_some() {
                let _ = seen.send(Seen {
                    k: next,
                    arrived: at,
                    applied: Instant::now(),
                });
                next += 1;
            }
        }
    });
}

/// Fan-out latency percentiles: to arrival at each reader's socket, and to the reader having
/// applied the change.
struct FanOut {
    arrived: (f64, f64),
    applied: (f64, f64),
}

/// Rounds run before the measured ones and not counted (`WARMUP`, the same for every server):
/// the first change to reach a hundred fresh connections is the slowest of a run (its last
/// arrival was 1.5-2.4 ms in eleven runs of 2026-11-30, where the median round's was 1.0-1.1
/// ms), and connections that have just opened say little about connections in use.
fn warmup_rounds() -> u32 {
    std::env::var("WARMUP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10)
}

/// One writer, `readers` readers: the time from a change leaving the writer to its arrival at
/// each reader, over `rounds` changes after [`warmup_rounds`]. The next change leaves once
/// every reader has applied the last one.
async fn fan_out(t: &Target, peers: &Handle, readers: usize, rounds: u32) -> FanOut {
    let mut writer = seed(t).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    for i in 0..readers {
        let mut r = client(t, &format!("reader{i}")).await;
        r.sync(Duration::from_millis(50)).await.unwrap();
        spawn_reader(r, t.doc.clone(), peers, tx.clone(), false);
    }
    let warmup = warmup_rounds();
    let mut arrived = Vec::with_capacity(readers * rounds as usize);
    let mut applied = Vec::with_capacity(readers * rounds as usize);
    // Each round's first and last arrival: how long the change takes to reach the first
    // reader, and how long the server takes to reach them all.
    let mut first_arrival = Vec::with_capacity(rounds as usize);
    let mut last_arrival = Vec::with_capacity(rounds as usize);
    // PAUSE_MS=n waits n ms before each change, the machine quiet. On this VM that makes
    // fan-out slower, not faster: idle virtual CPUs take long to wake.
    let pause: u64 = std::env::var("PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for n in 0..warmup + rounds {
        if pause > 0 {
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
        let sent = Instant::now();
        writer.put(&t.doc, &format!("k{n}"), "v").await.unwrap();
        let mut got = 0;
        let (mut first, mut last) = (f64::MAX, 0f64);
        let counted = n >= warmup;
        while got < readers {
            tokio::select! {
                Some(seen) = rx.recv() => {
                    if seen.k == n {
                        let ms = |at: Instant| at.duration_since(sent).as_secs_f64() * 1000.0;
                        if counted {
                            arrived.push(ms(seen.arrived));
                            applied.push(ms(seen.applied));
                        }
                        first = first.min(ms(seen.arrived));
                        last = last.max(ms(seen.arrived));
                        got += 1;
                    }
                }
                m = writer.next(Duration::from_millis(5)) => {
                    if let Ok(Some(m)) = m { writer.apply(m).await.unwrap(); }
                }
            }
        }
        if counted {
            first_arrival.push(first);
            last_arrival.push((n, last));
        }
    }
    first_arrival.sort_by(f64::total_cmp);
    let mut lasts: Vec<f64> = last_arrival.iter().map(|(_, ms)| *ms).collect();
    lasts.sort_by(f64::total_cmp);
    println!(
        "{}, {readers} readers, {rounds} rounds after {warmup} not counted: first arrival p50 {:.2} ms, last arrival p50 / p90 {:.2} / {:.2} ms",
        t.name,
        percentile(&first_arrival, 0.5),
        percentile(&lasts, 0.5),
        percentile(&lasts, 0.9),
    );
    last_arrival.sort_by(|a, b| b.1.total_cmp(&a.1));
    let slowest: Vec<String> = last_arrival
        .iter()
        .take(5)
        .map(|(n, ms)| format!("#{n} {ms:.2} ms"))
        .collect();
    println!(
        "{}, {readers} readers: slowest rounds (last arrival): {}",
        t.name,
        slowest.join(", ")
    );
    let pair = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (percentile(&v, 0.5), percentile(&v, 0.99))
    };
    FanOut {
        arrived: pair(arrived),
        applied: pair(applied),
    }
}

/// Changes per second on one document, each acknowledged by the server and seen by a reader.
async fn throughput(t: &Target, peers: &Handle, seconds: u64) -> f64 {
    let mut writer = seed(t).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut r = client(t, "tp-reader").await;
    r.sync(Duration::from_millis(50)).await.unwrap();
    spawn_reader(r, t.doc.clone(), peers, tx, true);
    let started = Instant::now();
    let mut sent = 0u32;
    let mut seen = 0u32;
    while started.elapsed() < Duration::from_secs(seconds) {
        // Keep a window of changes in flight: no throttle, but no unbounded queue either.
        while sent < seen + 64 {
            writer.put(&t.doc, &format!("k{sent}"), "v").await.unwrap();
            sent += 1;
        }
        tokio::select! {
            Some(s) = rx.recv() => seen = seen.max(s.k + 1),
            m = writer.next(Duration::from_millis(1)) => {
                if let Ok(Some(m)) = m { writer.apply(m).await.unwrap(); }
            }
        }
    }
    f64::from(seen) / started.elapsed().as_secs_f64()
}

/// Opens `n` joined, idle connections; answers them and the server's RSS growth in KiB.
async fn idle(t: &Target, n: usize) -> (Vec<Socket>, u64) {
    let before = rss_kib(t.pid);
    let mut conns = Vec::with_capacity(n);
    for i in 0..n {
        let url = if t.token.is_empty() {
            format!("ws://{}/", t.addr)
        } else {
            format!("ws://{}/sync?token={}", t.addr, t.token)
        };
        let (mut ws, _) = connect_async(url).await.unwrap();
        let join = Message::Join {
            sender: PeerId(format!("idle{i}")),
            metadata: None,
            versions: Some(vec!["1".into()]),
        };
        ws.send(Ws::Binary(join.encode().into())).await.unwrap();
        let _ = ws.next().await;
        conns.push(ws);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_kib(t.pid);
    (conns, after.saturating_sub(before))
}

/// A document of `changes` changes, then a restart, then the time for a fresh client to have it.
async fn cold_load(dir: &std::path::Path, changes: u32) -> Result<(f64, usize), String> {
    let t = start_terrain(dir).await;
    let mut w = seed(&t).await;
    for i in 0..changes {
        w.put(&t.doc, &format!("k{}", i % 500), &format!("value {i}"))
            .await
            .map_err(|e| e.to_string())?;
        // Keep reading: a client that stops reading is let go by the server.
        while let Ok(Some(m)) = w.next(Duration::ZERO).await {
            w.apply(m).await.map_err(|e| e.to_string())?;
        }
    }
    // Wait until the server has acknowledged every change.
    let deadline = Instant::now() + Duration::from_secs(120);
    while w.acknowledged(&t.doc) != w.heads(&t.doc) && Instant::now() < deadline {
        w.push(&t.doc).await.map_err(|e| e.to_string())?;
        if let Ok(Some(m)) = w.next(Duration::from_millis(100)).await {
            w.apply(m).await.map_err(|e| e.to_string())?;
        }
    }
    let doc = t.doc.clone();
    let token = t.token.clone();
    drop(w);
    let db = format!("sqlite://{}/bench.db?mode=rwc", dir.display());
    drop(t);
    let (child, addr) = serve(&db);
    let _guard = ChildGuard(child);
    let started = Instant::now();
    let mut r = SyncClient::connect(addr, &token, "cold")
        .await
        .map_err(|e| e.to_string())?;
    r.open(&doc);
    r.push(&doc).await.map_err(|e| e.to_string())?;
    loop {
        match r
            .next(Duration::from_secs(10))
            .await
            .map_err(|e| e.to_string())?
        {
            Some(m) => r.apply(m).await.map_err(|e| e.to_string())?,
            None => return Err(format!("nothing more after {:?}", started.elapsed())),
        }
        let last = format!("value {}", changes - 1);
        if r.get(&doc, &format!("k{}", (changes - 1) % 500)).as_deref() == Some(last.as_str()) {
            break;
        }
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let bytes = std::fs::metadata(dir.join("bench.db"))
        .map(|m| m.len() as usize)
        .unwrap_or(0);
    Ok((ms, bytes))
}

/// The readers' peer side: one thread of its own (see `spawn_reader`). With `idle`, that thread
/// runs at SCHED_IDLE: in the fan-out scenarios the simulated readers' automerge work (about
/// 6 ms per round with 100 readers) then gets only the CPU time the server and the sockets
/// leave, as it would on machines of their own. PEERS_IDLE=0 turns that off. The throughput
/// scenario counts what its reader has seen, so its reader keeps normal priority.
fn peers_runtime(idle: bool) -> tokio::runtime::Runtime {
    let idle = idle && std::env::var("PEERS_IDLE").as_deref() != Ok("0");
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("readers")
        .on_thread_start(move || {
            if idle
                && let Ok(me) = std::fs::read_link("/proc/thread-self")
                && let Some(tid) = me.file_name()
            {
                let done = Command::new("chrt")
                    .args(["--idle", "-p", "0"])
                    .arg(tid)
                    .stdout(Stdio::null())
                    .status();
                if !done.is_ok_and(|s| s.success()) {
                    println!("chrt --idle failed: the readers' work runs at normal priority");
                }
            }
        })
        .enable_all()
        .build()
        .unwrap()
}

fn main() {
    let (idle, normal) = (peers_runtime(true), peers_runtime(false));
    // The floor's server: two worker threads, as a server has on this machine.
    let floor_server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("floor-server")
        .enable_all()
        .build()
        .unwrap();
    let sockets = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    sockets.block_on(measure(
        idle.handle(),
        normal.handle(),
        floor_server.handle(),
    ));
}

/// Reader counts of the fan-out scenarios (`READERS=100` keeps one).
fn reader_counts() -> Vec<usize> {
    let only = std::env::var("READERS").ok();
    [1usize, 10, 100]
        .into_iter()
        .filter(|n| only.as_ref().is_none_or(|r| *r == n.to_string()))
        .collect()
}

async fn measure(peers: &Handle, normal_peers: &Handle, floor_server: &Handle) {
    let rounds: u32 = std::env::var("ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let mut results: Vec<(String, String, String)> = Vec::new();
    // ONLY=fanout|throughput|idle|cold|floor runs one scenario; JS=0 leaves the JS server out.
    let only = std::env::var("ONLY").unwrap_or_default();
    let run = |scenario: &str| only.is_empty() || only == scenario;
    let mut targets = Vec::new();
    if only != "cold" && only != "floor" {
        targets.push(start_terrain(dir.path()).await);
        if std::env::var("JS").as_deref() != Ok("0") {
            match start_js() {
                Some(js) => targets.push(js),
                None => println!(
                    "the JS reference server did not start (npm ci in tests/?): terrain only"
                ),
            }
        }
        if std::env::var("SAMOD").as_deref() != Ok("0") {
            match start_samod() {
                Some(samod) => targets.push(samod),
                None => println!(
                    "samod: not measured (build it: cargo build --release -p terrain-tests --features samod --bin samod_server)"
                ),
            }
        }
    }
    // FLOOR=0 leaves out the loopback TCP floor (see `floor`).
    if (run("fanout") || only == "floor") && std::env::var("FLOOR").as_deref() != Ok("0") {
        for readers in reader_counts() {
            match floor::fan_out(floor_server, readers, warmup_rounds(), rounds).await {
                Ok((arrivals, firsts, lasts)) => {
                    println!(
                        "loopback TCP floor, {readers} readers: first arrival p50 {:.2} ms, last arrival p50 / p90 {:.2} / {:.2} ms",
                        percentile(&sorted(firsts), 0.5),
                        percentile(&sorted(lasts.clone()), 0.5),
                        percentile(&sorted(lasts), 0.9),
                    );
                    let arrivals = sorted(arrivals);
                    record(
                        &mut results,
                        (
                            "loopback TCP floor".into(),
                            format!("fan-out to {readers} readers, arrival p50 / p99"),
                            format!(
                                "{:.2} / {:.2} ms",
                                percentile(&arrivals, 0.5),
                                percentile(&arrivals, 0.99)
                            ),
                        ),
                    );
                }
                Err(e) => println!("loopback TCP floor, {readers} readers: failed: {e}"),
            }
        }
    }
    for t in &mut targets {
        // Every scenario gets a document of its own.
        for readers in reader_counts() {
            if !run("fanout") {
                break;
            }
            t.doc = fresh_doc(t).await;
            let f = fan_out(t, peers, readers, rounds).await;
            record_fan_out(&mut results, t.name, &format!("{readers} readers"), &f);
        }
        if run("throughput") {
            t.doc = fresh_doc(t).await;
            let cps = throughput(t, normal_peers, 5).await;
            record(
                &mut results,
                (
                    t.name.into(),
                    "sustained changes/s on one document".into(),
                    format!("{cps:.0}"),
                ),
            );
        }
        for n in [1000usize, 5000] {
            if !run("idle") {
                break;
            }
            let (conns, kib) = idle(t, n).await;
            record(
                &mut results,
                (
                    t.name.into(),
                    format!("RSS growth for {n} idle connections"),
                    format!("{} KiB total, {:.1} KiB each", kib, kib as f64 / n as f64),
                ),
            );
            t.doc = fresh_doc(t).await;
            let f = fan_out(t, peers, 10, rounds / 2).await;
            record_fan_out(
                &mut results,
                t.name,
                &format!("10 readers with {n} idle connections open"),
                &f,
            );
            drop(conns);
        }
    }
    let cold_dir = tempfile::tempdir().unwrap();
    match if run("cold") {
        cold_load(cold_dir.path(), 10_000).await
    } else {
        Err("not run".into())
    } {
        Ok((ms, bytes)) => record(
            &mut results,
            (
                "terrain".into(),
                "cold load of a 10,000-change document after restart".into(),
                format!("{ms:.0} ms ({bytes} bytes of SQLite)"),
            ),
        ),
        Err(e) => record(
            &mut results,
            ("terrain".into(), "cold load".into(), format!("failed: {e}")),
        ),
    }
    println!("\n| server | measure | figure |\n|---|---|---|");
    for (who, what, figure) in &results {
        println!("| {who} | {what} | {figure} |");
    }
    let find = |who: &str, what: &str| {
        results
            .iter()
            .find(|r| r.0 == who && r.1 == what)
            .and_then(|r| r.2.parse::<f64>().ok())
    };
    for peer in ["automerge-repo JS", "samod"] {
        if let (Some(a), Some(b)) = (
            find("terrain", "sustained changes/s on one document"),
            find(peer, "sustained changes/s on one document"),
        ) {
            println!("throughput ratio terrain / {peer}: {:.1}×", a / b);
        }
    }
}

fn record_fan_out(results: &mut Vec<(String, String, String)>, who: &str, to: &str, f: &FanOut) {
    let ms = |(p50, p99): (f64, f64)| format!("{p50:.2} / {p99:.2} ms");
    record(
        results,
        (
            who.into(),
            format!("fan-out to {to}, arrival p50 / p99"),
            ms(f.arrived),
        ),
    );
    record(
        results,
        (
            who.into(),
            format!("fan-out to {to}, applied p50 / p99"),
            ms(f.applied),
        ),
    );
}

/// Keeps a figure for the final table and prints it at once (a later failure loses nothing).
fn record(results: &mut Vec<(String, String, String)>, row: (String, String, String)) {
    println!("{} | {} | {}", row.0, row.1, row.2);
    results.push(row);
}

async fn fresh_doc(t: &Target) -> DocumentId {
    if t.registered {
        registered_doc(t.addr, &t.token).await
    } else {
        unregistered_doc()
    }
}

/// A new diagnosis registered through terrain's API.
async fn registered_doc(addr: SocketAddr, token: &str) -> DocumentId {
    let res: serde_json::Value = reqwest::Client::new()
        .post(format!("http://{addr}/api/documents"))
        .bearer_auth(token)
        .json(&serde_json::json!({"territory": 3, "kind": "diagnosis", "title": "bench"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    DocumentId::parse(res["id"].as_str().unwrap()).unwrap()
}

/// A new document id, for servers that create documents on first sync.
fn unregistered_doc() -> DocumentId {
    let id = bs58::encode(uuid::Uuid::new_v4().as_bytes())
        .with_check()
        .into_string();
    DocumentId::parse(&id).unwrap()
}
