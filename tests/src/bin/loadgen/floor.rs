//! The machine's floor for the fan-out scenario: the same traffic with nothing of a sync server
//! in it. A writer's 300-byte message goes over loopback TCP to a server that copies it to
//! every reader's connection, each through a task of its own (as terrain's send queues do);
//! each reader notes when it arrived and answers with 200 bytes, which the server reads and
//! hands to one task, as terrain's readers do with their acknowledgements. No WebSocket, no
//! CBOR, no automerge, no database. Sizes are those of terrain's frames in the fan-out
//! scenario (a change 297-298 bytes, an acknowledgement 201).
//!
//! The server runs on a runtime of its own with two worker threads, in this process; the
//! readers' sockets are read on the load generator's runtime, as terrain's readers are.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Instant,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    runtime::Handle,
    sync::{Notify, mpsc},
};

const CHANGE: usize = 298;
const ACK: usize = 201;

/// One connection's frames waiting to be written, and the writer's wake-up.
#[derive(Default)]
struct Outbox {
    frames: Mutex<VecDeque<Arc<[u8]>>>,
    ready: Notify,
    closed: AtomicBool,
}

/// Fixed-size messages read off one socket.
struct Messages {
    socket: tokio::net::tcp::OwnedReadHalf,
    size: usize,
    /// Bytes read of the next message.
    pending: usize,
}

impl Messages {
    fn new(socket: tokio::net::tcp::OwnedReadHalf, size: usize) -> Self {
        Self {
            socket,
            size,
            pending: 0,
        }
    }

    /// Reads once; answers how many messages that completed, or `None` once the socket is
    /// closed.
    async fn read(&mut self) -> Option<usize> {
        let mut buf = [0u8; 4096];
        let n = match self.socket.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => n,
        };
        self.pending += n;
        let complete = self.pending / self.size;
        self.pending %= self.size;
        Some(complete)
    }

    /// Tells `to` of every message until the socket closes or `to` has gone.
    async fn forward(mut self, to: mpsc::UnboundedSender<bool>, is_change: bool) {
        while let Some(complete) = self.read().await {
            for _ in 0..complete {
                if to.send(is_change).is_err() {
                    return;
                }
            }
        }
    }
}

/// The fan-out server: the first connection is the writer, the next `readers` the readers.
async fn serve(listener: TcpListener, readers: usize) {
    let Ok((writer, _)) = listener.accept().await else {
        return;
    };
    let _ = writer.set_nodelay(true);
    let (to_hub, mut hub) = mpsc::unbounded_channel::<bool>();
    let mut outboxes = Vec::with_capacity(readers);
    for _ in 0..readers {
        let Ok((socket, _)) = listener.accept().await else {
            return;
        };
        let _ = socket.set_nodelay(true);
        let (read, mut write) = socket.into_split();
        let outbox = Arc::new(Outbox::default());
        outboxes.push(outbox.clone());
        tokio::spawn(async move {
            loop {
                let next = outbox.frames.lock().ok().and_then(|mut f| f.pop_front());
                match next {
                    Some(frame) => {
                        if write.write_all(&frame).await.is_err() {
                            return;
                        }
                    }
                    None if outbox.closed.load(Ordering::Relaxed) => return,
                    None => outbox.ready.notified().await,
                }
            }
        });
        // Acknowledgements go to the hub, as terrain's go to its hub task.
        tokio::spawn(Messages::new(read, ACK).forward(to_hub.clone(), false));
    }
    let (from_writer, _keep) = writer.into_split();
    tokio::spawn(Messages::new(from_writer, CHANGE).forward(to_hub, true));
    let change: Arc<[u8]> = vec![1u8; CHANGE].into();
    while let Some(is_change) = hub.recv().await {
        if is_change {
            for outbox in &outboxes {
                if let Ok(mut frames) = outbox.frames.lock() {
                    frames.push_back(change.clone());
                }
                outbox.ready.notify_one();
            }
        }
    }
    // Every reader has gone: the writers go too.
    for outbox in &outboxes {
        outbox.closed.store(true, Ordering::Relaxed);
        outbox.ready.notify_one();
    }
}

/// Arrival times in milliseconds after each change left the writer (`rounds` rounds after
/// `warmup` not counted), and each counted round's first and last arrival. The next change
/// leaves once every reader has answered the last.
pub async fn fan_out(
    server: &Handle,
    readers: usize,
    warmup: u32,
    rounds: u32,
) -> std::io::Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let (bound, addr) = tokio::sync::oneshot::channel();
    server.spawn(async move {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(l) => l,
            Err(e) => {
                let _ = bound.send(Err(e));
                return;
            }
        };
        let _ = bound.send(listener.local_addr());
        serve(listener, readers).await;
    });
    let addr = addr.await.map_err(std::io::Error::other)??;
    let mut writer = TcpStream::connect(addr).await?;
    writer.set_nodelay(true)?;
    // The server takes the first connection for the writer's.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let (seen_tx, mut seen) = mpsc::unbounded_channel::<Instant>();
    let (acked_tx, mut acked) = mpsc::unbounded_channel::<()>();
    let mut tasks = Vec::with_capacity(readers);
    for _ in 0..readers {
        let socket = TcpStream::connect(addr).await?;
        socket.set_nodelay(true)?;
        let (seen_tx, acked_tx) = (seen_tx.clone(), acked_tx.clone());
        tasks.push(tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            let mut changes = Messages::new(read, CHANGE);
            let ack = [2u8; ACK];
            while let Some(complete) = changes.read().await {
                let at = Instant::now();
                for _ in 0..complete {
                    if seen_tx.send(at).is_err() || write.write_all(&ack).await.is_err() {
                        return;
                    }
                    let _ = acked_tx.send(());
                }
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let change = [1u8; CHANGE];
    let mut arrivals = Vec::with_capacity(readers * rounds as usize);
    let (mut firsts, mut lasts) = (Vec::new(), Vec::new());
    for n in 0..warmup + rounds {
        let sent = Instant::now();
        writer.write_all(&change).await?;
        let (mut first, mut last) = (f64::MAX, 0f64);
        for _ in 0..readers {
            let at = seen
                .recv()
                .await
                .ok_or_else(|| std::io::Error::other("reader gone"))?;
            let ms = at.duration_since(sent).as_secs_f64() * 1000.0;
            first = first.min(ms);
            last = last.max(ms);
            if n >= warmup {
                arrivals.push(ms);
            }
        }
        for _ in 0..readers {
            acked
                .recv()
                .await
                .ok_or_else(|| std::io::Error::other("reader gone"))?;
        }
        if n >= warmup {
            firsts.push(first);
            lasts.push(last);
        }
    }
    // Closing every connection ends the server's tasks.
    for task in tasks {
        task.abort();
    }
    Ok((arrivals, firsts, lasts))
}
