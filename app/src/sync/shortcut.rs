//! Shortcuts through automerge's sync states for the hub's hot paths. Each leaves a peer's
//! [`sync::State`] exactly as automerge itself would (the tests below check that against
//! automerge on many histories), only without work that cannot change the outcome.
//!
//! - [`acknowledge`]: a message with no changes whose heads are the document's heads, or the
//!   heads last sent to that peer (the reply every reader sends after a change reached it).
//!   automerge would walk the document's whole history to drop the hashes that peer has now
//!   seen; here they are all seen, so the set is emptied at once. With 100 readers that walk ran
//!   100 times per change.
//!   [`nothing_to_say`] then tells, from the state alone, that automerge would have nothing to
//!   send back, so the hub does not ask.
//! - [`Generations`]: peers whose sync states are equal get the same message and end in the same
//!   state, so the message is generated (and encoded) once per distinct state, and the state
//!   copied into each of the others' buffers (readers in step, the usual case after a change,
//!   all share one).
//! - [`receive`]: any message. automerge walks the document's whole history for every message
//!   received, to drop from the hashes in flight to that peer the ones it now has, even when
//!   none are in flight (a writer, which hears only acknowledgements). Here that filter is
//!   skipped when nothing is in flight, and otherwise made from the changes since the peer's
//!   heads (a reader replying while a writer streams: usually a few). On a sustained stream of
//!   changes the walk was 30% of the server's CPU time, then 14% for the readers' replies.

use automerge::{
    AutoCommit, Automerge, AutomergeError, ChangeHash,
    sync::{self, Capability, MessageFlags, SyncDoc},
};
use std::collections::HashSet;

/// Takes a changeless message that acknowledges `our_heads`, or the heads we last sent this
/// peer (a reader replying while newer changes were being applied), into `state`, as
/// `receive_sync_message` would; any other message is handed back untouched.
pub fn acknowledge(
    state: &mut sync::State,
    message: sync::Message,
    our_heads: &[ChangeHash],
) -> Option<sync::Message> {
    let acknowledges = message.heads == our_heads || message.heads == state.last_sent_heads;
    if !message.changes.is_empty() || message.heads.is_empty() || !acknowledges {
        return Some(message);
    }
    let sync::Message {
        heads,
        need,
        have,
        flags,
        ..
    } = message;
    take_flags(state, flags);
    // Every hash sent went out in a message whose heads were ours then, and those are
    // ancestors of (or equal to) the last heads sent, ours now at the latest: all seen.
    state.sent_hashes.clear();
    state.last_sent_heads.clone_from(&heads);
    state.shared_heads.clone_from(&heads);
    state.their_have = Some(have);
    state.their_heads = Some(heads);
    state.their_need = Some(need);
    None
}

/// What `receive_sync_message` does first with any message: the peer is answering, and its
/// flags say what it can do.
fn take_flags(state: &mut sync::State, flags: Option<MessageFlags>) {
    state.in_flight = false;
    if let Some(flags) = flags {
        let mut caps = vec![Capability::MessageV2];
        if flags.contains(MessageFlags::SUPPORTS_SYNC_RESET) {
            caps.push(Capability::SyncReset);
        }
        state.their_capabilities = Some(caps);
        if flags.contains(MessageFlags::SYNC_RESET) {
            state.sent_hashes.clear();
        }
        state.peer_read_only = flags.contains(MessageFlags::READ_ONLY);
    }
}

/// `receive_sync_message`, for any message, without automerge's walk over the whole history.
///
/// automerge drops from the hashes in flight to the peer those the peer's heads now cover, by
/// walking back from those heads through every change the document holds, once per message,
/// even when nothing is in flight. Here the hashes not covered are those of the changes made
/// since the peer's heads (automerge finds them from its cached vector clocks, in time
/// proportional to how far behind the peer is), and the filter is skipped when nothing is in
/// flight. Everything else is done as automerge does it, in the same order.
pub fn receive(
    doc: &mut impl Replica,
    state: &mut sync::State,
    message: sync::Message,
) -> Result<(), AutomergeError> {
    let sync::Message {
        heads,
        need,
        have,
        changes,
        flags,
        ..
    } = message;
    take_flags(state, flags);
    let before = doc.document().get_heads();
    let changeless = changes.is_empty();
    if !changeless && !state.read_only {
        let mut bytes = Vec::with_capacity(changes.iter().map(<[u8]>::len).sum());
        for chunk in changes.iter() {
            bytes.extend_from_slice(chunk);
        }
        doc.apply(&bytes)?;
        let after = doc.document().get_heads();
        // automerge's `advance_heads`: our new heads, and those shared heads still heads.
        let mut shared: Vec<ChangeHash> = after
            .iter()
            .filter(|h| !before.contains(h) || state.shared_heads.contains(h))
            .copied()
            .collect();
        shared.sort_unstable();
        state.shared_heads = shared;
    }
    let doc = doc.document();
    let known: Vec<ChangeHash> = heads
        .iter()
        .filter(|h| doc.get_change_meta_by_hash(h).is_some())
        .copied()
        .collect();
    // automerge's `filter_changes`: keep in flight only what the peer's known heads lack.
    if !state.sent_hashes.is_empty() && !known.is_empty() {
        let since: HashSet<ChangeHash> = doc
            .get_changes_meta(&known)
            .into_iter()
            .map(|c| c.hash)
            .collect();
        state.sent_hashes.retain(|h| since.contains(h));
    }
    if changeless && heads == before {
        state.last_sent_heads.clone_from(&heads);
    }
    if known.len() == heads.len() {
        state.shared_heads.clone_from(&heads);
        // A peer that lost everything is resynced from scratch.
        if heads.is_empty() {
            state.last_sent_heads = Vec::new();
            state.sent_hashes = Default::default();
        }
    } else {
        state.shared_heads.extend(known);
        state.shared_heads.sort_unstable();
        state.shared_heads.dedup();
    }
    state.their_have = Some(have);
    state.their_heads = Some(heads);
    state.their_need = Some(need);
    Ok(())
}

/// What [`receive`] needs of a replica: an [`Automerge`] in the hub, an [`AutoCommit`] in the
/// clients.
pub trait Replica {
    /// The document itself, any open transaction committed.
    fn document(&mut self) -> &Automerge;
    /// Applies changes as `receive_sync_message` does, logging patches where the replica logs
    /// them.
    fn apply(&mut self, changes: &[u8]) -> Result<usize, AutomergeError>;
}

impl Replica for Automerge {
    fn document(&mut self) -> &Automerge {
        self
    }
    fn apply(&mut self, changes: &[u8]) -> Result<usize, AutomergeError> {
        self.load_incremental(changes)
    }
}

impl Replica for AutoCommit {
    fn document(&mut self) -> &Automerge {
        AutoCommit::document(self)
    }
    fn apply(&mut self, changes: &[u8]) -> Result<usize, AutomergeError> {
        self.load_incremental(changes)
    }
}

/// Whether `generate_sync_message` would return nothing for this state, known without building
/// the message: the peer has our heads, needs nothing and has nothing we lack, and was answered
/// already. A reader's acknowledgement usually leaves it so.
pub fn nothing_to_say(state: &sync::State, our_heads: &[ChangeHash]) -> bool {
    state.have_responded
        && state.last_sent_heads == our_heads
        && state.their_heads.as_deref() == Some(our_heads)
        && state.their_need.as_ref().is_none_or(Vec::is_empty)
        && state
            .their_have
            .as_ref()
            .is_none_or(|have| have.iter().all(|h| h.last_sync == our_heads))
}

/// Sync states with a larger set of hashes in flight are not worth comparing and copying.
const MAX_SENT: usize = 64;
/// Distinct states remembered during one round.
const REMEMBERED: usize = 8;

struct Generated<T> {
    before: sync::State,
    after: sync::State,
    message: Option<T>,
}

/// The sync messages of one round over one document, which must not change in between, each
/// made into a `T` (an encoded frame) once.
pub struct Generations<T> {
    made: Vec<Generated<T>>,
    /// The message for a state not remembered (too many hashes in flight, or too many states).
    unremembered: Option<T>,
}

impl<T> Default for Generations<T> {
    fn default() -> Self {
        Self {
            made: Vec::new(),
            unremembered: None,
        }
    }
}

impl<T> Generations<T> {
    /// `generate_sync_message`, made into a `T` by `wrap`: computed once per distinct state
    /// this round; a state seen before is moved to where that one went.
    pub fn generate(
        &mut self,
        doc: &Automerge,
        state: &mut sync::State,
        wrap: impl FnOnce(sync::Message) -> T,
    ) -> Option<&T> {
        if let Some(i) = self.made.iter().position(|g| g.before == *state) {
            let g = &self.made[i];
            copy_state(state, &g.after);
            return g.message.as_ref();
        }
        if state.sent_hashes.len() > MAX_SENT || self.made.len() >= REMEMBERED {
            self.unremembered = doc.generate_sync_message(state).map(wrap);
            return self.unremembered.as_ref();
        }
        let before = state.clone();
        let message = doc.generate_sync_message(state).map(wrap);
        self.made.push(Generated {
            before,
            after: state.clone(),
            message,
        });
        self.made.last().and_then(|g| g.message.as_ref())
    }
}

/// `*to = from.clone()`, reusing `to`'s buffers (the derived `clone_from` allocates every field
/// anew, eight allocations per reader in a fan-out). Every field is named, so a field automerge
/// adds stops the build here rather than going uncopied.
fn copy_state(to: &mut sync::State, from: &sync::State) {
    let sync::State {
        shared_heads,
        last_sent_heads,
        their_heads,
        their_need,
        their_have,
        sent_hashes,
        in_flight,
        have_responded,
        their_capabilities,
        read_only,
        peer_read_only,
        needs_reset,
    } = from;
    to.shared_heads.clone_from(shared_heads);
    to.last_sent_heads.clone_from(last_sent_heads);
    to.their_heads.clone_from(their_heads);
    to.their_need.clone_from(their_need);
    to.their_have.clone_from(their_have);
    if to.sent_hashes != *sent_hashes {
        to.sent_hashes.clone_from(sent_hashes);
    }
    to.in_flight = *in_flight;
    to.have_responded = *have_responded;
    to.their_capabilities.clone_from(their_capabilities);
    to.read_only = *read_only;
    to.peer_read_only = *peer_read_only;
    to.needs_reset = *needs_reset;
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{AutoCommit, ROOT, ReadDoc, transaction::Transactable};

    /// Two peers synced until quiet.
    fn sync_pair(a: &mut Automerge, sa: &mut sync::State, b: &mut Automerge, sb: &mut sync::State) {
        for _ in 0..20 {
            let m1 = a.generate_sync_message(sa);
            let m2 = b.generate_sync_message(sb);
            if m1.is_none() && m2.is_none() {
                return;
            }
            if let Some(m) = m1 {
                b.receive_sync_message(sb, m).unwrap();
            }
            if let Some(m) = m2 {
                a.receive_sync_message(sa, m).unwrap();
            }
        }
        panic!("did not settle");
    }

    fn edit(doc: &mut Automerge, key: &str) {
        let mut tx = doc.transaction();
        tx.put(ROOT, key, 1).unwrap();
        tx.commit();
    }

    /// For many histories: the server's state after a peer's reply, by automerge and by the
    /// shortcut, and the messages each then generates.
    #[test]
    fn acknowledge_leaves_the_state_automerge_would() {
        let (mut taken, mut quiets, mut ahead, mut taken_ahead) = (0, 0, 0, 0);
        for seed in 0..60u32 {
            let mut server = Automerge::new();
            let mut peer = Automerge::new();
            let (mut ss, mut ps) = (sync::State::new(), sync::State::new());
            if seed % 4 == 0 {
                ss = sync::State::new_read_only();
            }
            for i in 0..(seed % 7) {
                edit(&mut server, &format!("s{i}"));
            }
            sync_pair(&mut server, &mut ss, &mut peer, &mut ps);
            // The server gets changes the peer lacks, sends them, and the peer replies.
            for i in 0..(1 + seed % 5) {
                edit(&mut server, &format!("n{seed}-{i}"));
                if seed % 3 == 0
                    && let Some(m) = server.generate_sync_message(&mut ss)
                {
                    peer.receive_sync_message(&mut ps, m).unwrap();
                }
            }
            if let Some(m) = server.generate_sync_message(&mut ss) {
                peer.receive_sync_message(&mut ps, m).unwrap();
            }
            if seed % 5 == 1 {
                edit(&mut peer, "peer-only");
            }
            let Some(reply) = peer.generate_sync_message(&mut ps) else {
                continue;
            };
            // Sometimes the server has moved on by the time the reply arrives.
            if seed % 2 == 1 {
                edit(&mut server, "meanwhile");
                ahead += 1;
            }
            let mut by_automerge = ss.clone();
            let mut reference = server.clone();
            reference
                .receive_sync_message(&mut by_automerge, reply.clone())
                .unwrap();
            let mut by_shortcut = ss.clone();
            match acknowledge(&mut by_shortcut, reply, &server.get_heads()) {
                None => {
                    taken += 1;
                    taken_ahead += usize::from(seed % 2 == 1);
                    assert_eq!(by_shortcut, by_automerge, "seed {seed}");
                    let quiet = nothing_to_say(&by_shortcut, &server.get_heads());
                    quiets += usize::from(quiet);
                    let a = reference.generate_sync_message(&mut by_automerge);
                    let b = server.generate_sync_message(&mut by_shortcut);
                    assert_eq!(a, b, "seed {seed}: next message");
                    assert!(!quiet || a.is_none(), "seed {seed}: said quiet, but {a:?}");
                }
                Some(_) => assert_eq!(by_shortcut, ss, "seed {seed}: untouched"),
            }
        }
        assert!(taken > 20, "the shortcut was taken {taken} times");
        assert!(
            taken_ahead > 10,
            "taken {taken_ahead} times of {ahead} with the server ahead"
        );
        assert!(quiets > 10, "nothing to say {quiets} times");
    }

    /// For many histories: a peer's message, taken by automerge and by [`receive`], leaves the
    /// same document, the same state and the same next message. The messages are a writer's
    /// changes, or the reply of a peer that got the first of the server's messages in flight
    /// and not the next ones (what a reader sends while a writer streams). The histories include
    /// hashes in flight, a peer that lost everything, a read-only state, a message missing a
    /// change its other changes depend on (queued, heads unknown), and heads naming a change the
    /// message does not carry.
    #[test]
    fn receive_leaves_the_document_and_state_automerge_would() {
        let (mut replies, mut in_flight, mut trimmed, mut kept, mut queued, mut wiped) =
            (0, 0, 0, 0, 0, 0);
        for seed in 0..120u32 {
            let mut server = Automerge::new();
            let mut peer = Automerge::new();
            let mut ss = if seed % 11 == 3 {
                sync::State::new_read_only()
            } else {
                sync::State::new()
            };
            let mut ps = sync::State::new();
            for i in 0..(seed % 6) {
                edit(&mut server, &format!("s{i}"));
            }
            sync_pair(&mut server, &mut ss, &mut peer, &mut ps);
            // The server has something for the peer: a few messages in flight, of which the
            // peer may get the first, or all; or one not yet sent.
            let lagging = seed % 4 == 1;
            let in_step = seed % 9 == 7;
            if seed % 3 == 0 || lagging || in_step {
                for round in 0..(1 + seed % 3) {
                    edit(&mut server, &format!("from-another-writer-{round}"));
                    if let Some(m) = server.generate_sync_message(&mut ss)
                        && (round == 0 || in_step)
                        && (lagging || in_step || seed % 2 == 0)
                    {
                        peer.receive_sync_message(&mut ps, m).unwrap();
                    }
                }
            }
            if in_step {
                // As the hub does for a peer owed an acknowledgement.
                ss.last_sent_heads.clear();
            }
            let before_edits = peer.get_heads();
            if !(lagging || in_step) || seed % 8 == 5 {
                for i in 0..(1 + seed % 3) {
                    edit(&mut peer, &format!("w{seed}-{i}"));
                }
            }
            let Some(mut message) = peer.generate_sync_message(&mut ps) else {
                continue;
            };
            if seed % 13 == 6 {
                // The peer lost everything and starts again.
                message = Automerge::new()
                    .generate_sync_message(&mut sync::State::new())
                    .unwrap();
                wiped += 1;
            }
            replies += usize::from(message.changes.is_empty());
            let made = peer.get_changes(&before_edits);
            if seed % 5 == 2 && made.len() > 1 {
                // The first change lost: the later ones wait in automerge's queue.
                let rest: Vec<Vec<u8>> = made[1..].iter().map(|c| c.raw_bytes().to_vec()).collect();
                message.changes = rest.into();
                queued += 1;
            }
            if seed % 7 == 4 {
                // Heads naming a change the message does not carry.
                let mut elsewhere = Automerge::new();
                edit(&mut elsewhere, "elsewhere");
                message.heads.extend(elsewhere.get_heads());
                message.heads.sort();
            }
            in_flight += usize::from(!ss.sent_hashes.is_empty());
            let (mut reference, mut by_automerge) = (server.clone(), ss.clone());
            let expected = reference.receive_sync_message(&mut by_automerge, message.clone());
            let (mut doc, mut by_shortcut) = (server.clone(), ss.clone());
            let message_copy = message.clone();
            let got = receive(&mut doc, &mut by_shortcut, message);
            assert_eq!(got.is_ok(), expected.is_ok(), "seed {seed}");
            if got.is_err() {
                continue;
            }
            if !ss.sent_hashes.is_empty() {
                if by_automerge.sent_hashes.is_empty() {
                    trimmed += 1;
                } else if by_automerge.sent_hashes.len() < ss.sent_hashes.len() {
                    // Some hashes seen, some still in flight.
                    kept += 1;
                }
            }
            assert_eq!(by_shortcut, by_automerge, "seed {seed}: state");
            assert_eq!(doc.get_heads(), reference.get_heads(), "seed {seed}: heads");
            assert_eq!(
                doc.get_missing_deps(&[]),
                reference.get_missing_deps(&[]),
                "seed {seed}: queue"
            );
            // A client's replica (AutoCommit) takes the same path to the same place.
            let mut client = AutoCommit::load(&server.save()).unwrap();
            let mut by_client = ss.clone();
            receive(&mut client, &mut by_client, message_copy).unwrap();
            assert_eq!(by_client, by_automerge, "seed {seed}: client state");
            assert_eq!(client.get_heads(), reference.get_heads(), "seed {seed}");
            let a = reference.generate_sync_message(&mut by_automerge);
            let b = doc.generate_sync_message(&mut by_shortcut);
            assert_eq!(a, b, "seed {seed}: next message");
            assert_eq!(by_shortcut, by_automerge, "seed {seed}: state after");
        }
        assert!(replies > 15, "changeless replies: {replies}");
        assert!(in_flight > 40, "hashes were in flight {in_flight} times");
        assert!(trimmed > 15, "all in flight seen {trimmed} times");
        assert!(kept > 10, "some in flight seen, some not, {kept} times");
        assert!(queued > 8, "a change was queued {queued} times");
        assert!(wiped > 4, "a peer started again {wiped} times");
    }

    #[test]
    fn messages_with_changes_or_other_heads_are_handed_back() {
        let mut doc = Automerge::new();
        edit(&mut doc, "a");
        let heads = doc.get_heads();
        let mut state = sync::State::new();
        let mut other = AutoCommit::new();
        other.put(ROOT, "b", 2).unwrap();
        let with_changes = sync::Message {
            heads: heads.clone(),
            need: vec![],
            have: vec![],
            changes: vec![other.save()].into(),
            flags: None,
            version: sync::MessageVersion::V1,
        };
        assert!(acknowledge(&mut state, with_changes, &heads).is_some());
        let behind = sync::Message {
            heads: vec![],
            need: vec![],
            have: vec![],
            changes: Vec::<Vec<u8>>::new().into(),
            flags: None,
            version: sync::MessageVersion::V1,
        };
        assert!(acknowledge(&mut state, behind, &heads).is_some());
        assert_eq!(state, sync::State::new());
    }

    #[test]
    fn equal_states_get_the_message_automerge_generates_for_each() {
        let mut doc = Automerge::new();
        edit(&mut doc, "a");
        let mut readers: Vec<(Automerge, sync::State)> = (0..5)
            .map(|i| {
                let mut peer = Automerge::new();
                let mut ps = sync::State::new();
                let mut ss = if i == 4 {
                    sync::State::new_read_only()
                } else {
                    sync::State::new()
                };
                sync_pair(&mut doc, &mut ss, &mut peer, &mut ps);
                (peer, ss)
            })
            .collect();
        edit(&mut doc, "b");
        let mut generations = Generations::default();
        for (i, (_, state)) in readers.iter_mut().enumerate() {
            let mut expected_state = state.clone();
            let expected = doc
                .generate_sync_message(&mut expected_state)
                .map(sync::Message::encode);
            let got = generations
                .generate(&doc, state, sync::Message::encode)
                .cloned();
            assert_eq!(got, expected, "reader {i}");
            assert_eq!(*state, expected_state, "reader {i}");
        }
        assert_eq!(
            generations.made.len(),
            2,
            "four readers in step shared one message, the manager got its own"
        );
        // A second round: nothing new for anyone.
        let mut generations = Generations::default();
        for (_, state) in &mut readers {
            let mut expected_state = state.clone();
            let expected = doc.generate_sync_message(&mut expected_state);
            assert_eq!(
                generations
                    .generate(&doc, state, sync::Message::encode)
                    .cloned(),
                expected.map(sync::Message::encode)
            );
        }
    }
}
