//! A hub fed arbitrary frames from three connections (a writer, a reader, an outsider), with
//! every access check, load and store answered: it must never panic, whatever arrives.
#![no_main]

use app::sync::{Access, ConnId, Hub, HubLimits, Message, PeerId, SyncEffect, SyncEvent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut hub = Hub::new(PeerId("server".into()), HubLimits { max_frame: 4096, max_pending: 8 });
    let mut queue = std::collections::VecDeque::new();
    for c in 1..=3u64 {
        queue.push_back(SyncEvent::Connected(ConnId(c)));
        let join = Message::Join { sender: PeerId(format!("p{c}")), metadata: None, versions: None };
        queue.push_back(SyncEvent::Frame(ConnId(c), join.encode()));
    }
    // Frames: [conn selector][len][bytes…] repeated.
    let mut rest = data;
    while rest.len() >= 2 {
        let conn = ConnId(u64::from(rest[0] % 3) + 1);
        let len = usize::from(rest[1]).min(rest.len() - 2);
        queue.push_back(SyncEvent::Frame(conn, rest[2..2 + len].to_vec()));
        rest = &rest[2 + len..];
    }
    let mut first = automerge::AutoCommit::new();
    let first = first.save();
    let mut steps = 0;
    while let Some(event) = queue.pop_front() {
        steps += 1;
        if steps > 10_000 {
            break;
        }
        for effect in hub.handle(event) {
            match effect {
                SyncEffect::Authorize(conn, doc) => {
                    let access = match conn.0 {
                        1 => Access::Write,
                        2 => Access::Read,
                        _ => Access::None,
                    };
                    queue.push_back(SyncEvent::Authorized(conn, doc, access));
                }
                SyncEffect::Load(doc) => queue.push_back(SyncEvent::Loaded(doc, Ok(vec![first.clone()]))),
                SyncEffect::Store(doc, _) => queue.push_back(SyncEvent::Stored(doc, Ok(()))),
                SyncEffect::Send(..) | SyncEffect::Close(..) => {}
            }
        }
    }
});
