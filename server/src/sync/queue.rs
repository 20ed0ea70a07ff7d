//! One connection's frames waiting to be written: bounded, and cheap while the connection is
//! idle. A tokio bounded channel preallocates a block of 32 slots and cache-padded state, about
//! 1.3 KB per connection before any frame; this queue allocates nothing until its first frame
//! and gives back its buffer once a burst is written.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};
use tokio::sync::Notify;

/// Why a frame was not queued.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The queue holds its capacity: the reader has stopped reading.
    Full,
    /// The connection is closing; the frame would never be written.
    Closing,
}

pub struct SendQueue {
    state: Mutex<State>,
    ready: Notify,
    capacity: usize,
}

#[derive(Default)]
struct State {
    frames: VecDeque<Vec<u8>>,
    closing: bool,
}

/// Emptied buffers larger than this are given back.
const KEEP: usize = 8;

impl SendQueue {
    pub fn new(capacity: usize) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::default(),
            ready: Notify::new(),
            capacity: capacity.max(1),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // Nothing panics while holding the lock; a poisoned one still holds consistent data.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues a frame for the writer.
    pub fn push(&self, frame: Vec<u8>) -> Result<(), Refused> {
        {
            let mut s = self.state();
            if s.closing {
                return Err(Refused::Closing);
            }
            if s.frames.len() >= self.capacity {
                return Err(Refused::Full);
            }
            s.frames.push_back(frame);
        }
        self.ready.notify_one();
        Ok(())
    }

    /// The writer sends what is queued, then closes the connection.
    pub fn close(&self) {
        self.state().closing = true;
        self.ready.notify_one();
    }

    /// Drops what is queued and has the writer close at once (a reader that stopped reading).
    pub fn abandon(&self) {
        {
            let mut s = self.state();
            s.closing = true;
            s.frames = VecDeque::new();
        }
        self.ready.notify_one();
    }

    /// The next frame to write; `None` once the queue is closing and empty.
    pub async fn next(&self) -> Option<Vec<u8>> {
        loop {
            {
                let mut s = self.state();
                if let Some(frame) = s.frames.pop_front() {
                    if s.frames.is_empty() && s.frames.capacity() > KEEP {
                        s.frames = VecDeque::new();
                    }
                    return Some(frame);
                }
                if s.closing {
                    return None;
                }
            }
            // `notify_one` leaves a permit when nobody waits, so a frame pushed between the
            // check above and this wait is not missed.
            self.ready.notified().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_come_out_in_order_then_the_close() {
        let q = SendQueue::new(3);
        for i in 0..3u8 {
            q.push(vec![i]).unwrap();
        }
        assert_eq!(q.push(vec![9]), Err(Refused::Full));
        q.close();
        assert_eq!(q.push(vec![9]), Err(Refused::Closing));
        for i in 0..3u8 {
            assert_eq!(q.next().await, Some(vec![i]));
        }
        assert_eq!(q.next().await, None);
    }

    #[tokio::test]
    async fn abandoning_drops_what_waits() {
        let q = SendQueue::new(4);
        q.push(vec![1]).unwrap();
        q.abandon();
        assert_eq!(q.next().await, None);
    }

    #[tokio::test]
    async fn a_waiting_writer_wakes_for_a_frame_pushed_from_another_task() {
        let q = SendQueue::new(4);
        let writer = tokio::spawn({
            let q = q.clone();
            async move { (q.next().await, q.next().await) }
        });
        tokio::task::yield_now().await;
        q.push(vec![7]).unwrap();
        q.close();
        assert_eq!(writer.await.unwrap(), (Some(vec![7]), None));
    }

    #[test]
    fn an_emptied_burst_gives_its_buffer_back() {
        let q = SendQueue::new(256);
        for i in 0..100u8 {
            q.push(vec![i]).unwrap();
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            for _ in 0..100 {
                q.next().await.unwrap();
            }
        });
        assert_eq!(q.state().frames.capacity(), 0);
    }
}
