//! What the page tells the user about their work: saved, synced, pending, offline, refused —
//! and, after a resync, who changed what while they were away.

use automerge::{AutoCommit, ChangeHash, Patch, PatchAction, Prop};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where a document stands, shown at all times on its page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// Opening from this device's storage.
    Loading,
    /// Connected; the server has every change.
    Synced,
    /// Connected; these many changes are saved on this device and not yet confirmed.
    Syncing {
        pending: usize,
    },
    /// No connection since this time (HH:MM); changes are saved on this device.
    Offline {
        since: String,
        pending: usize,
    },
    /// The server refuses changes from this account (read-only).
    Refused,
    /// Not found, or not shared with this account.
    Unavailable,
    Error(String),
}

/// Another person with the document open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    pub name: String,
    /// The item being edited ("actors/abc"), if any.
    pub editing: Option<String>,
}

impl Presence {
    /// The `ephemeral` payload: a CBOR map `{name, editing}`, as automerge-repo peers expect.
    pub fn to_cbor(&self) -> Vec<u8> {
        crate::sync::wire::encode_text_map(&[
            ("name", Some(&self.name)),
            ("editing", self.editing.as_deref()),
        ])
    }

    /// Reads a peer's `ephemeral` payload; `None` when it is not a presence.
    pub fn from_cbor(data: &[u8]) -> Option<Presence> {
        let mut name = None;
        let mut editing = None;
        for (key, value) in crate::sync::wire::decode_text_map(data).ok()? {
            match key.as_str() {
                "name" => name = value,
                "editing" => editing = value,
                _ => {}
            }
        }
        Some(Presence {
            name: name.filter(|n| !n.trim().is_empty())?,
            editing,
        })
    }

    /// Initials for the avatar: first letters of the first two words.
    pub fn initials(&self) -> String {
        self.name
            .split_whitespace()
            .take(2)
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect()
    }

    /// A stable hue (0–359) from the name, so everyone sees the same colour for a person.
    pub fn hue(&self) -> u32 {
        self.name.bytes().fold(2166136261u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(16777619)
        }) % 360
    }
}

/// What changed while this device was away: who, and which items.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AwaySummary {
    /// Authors and their number of changes.
    pub authors: Vec<(String, usize)>,
    /// (collection, item id) touched, in document order.
    pub items: Vec<(String, String)>,
}

impl AwaySummary {
    pub fn is_empty(&self) -> bool {
        self.authors.is_empty()
    }
}

/// The changes after `since` made by others than `me` (and, with `before`, stamped no later
/// than that time in ms; unstamped changes count), summarised.
pub fn away_summary(
    doc: &mut AutoCommit,
    since: &[ChangeHash],
    me: &automerge::ActorId,
    unknown: &str,
    before: Option<i64>,
) -> AwaySummary {
    let changes = doc.get_changes(since);
    let mut authors: BTreeMap<String, usize> = BTreeMap::new();
    let counted = |c: &&automerge::Change| {
        c.actor_id() != me && before.is_none_or(|t| c.timestamp() == 0 || c.timestamp() <= t)
    };
    for change in changes.iter().filter(counted) {
        let name = crate::model::record::author(doc, change.actor_id())
            .unwrap_or_else(|| unknown.to_owned());
        *authors.entry(name).or_default() += 1;
    }
    if authors.is_empty() {
        return AwaySummary::default();
    }
    let heads = doc.get_heads();
    let patches = doc.diff(since, &heads);
    let mut seen = BTreeSet::new();
    let mut items = Vec::new();
    for patch in &patches {
        if let Some(item) = touched_item(patch)
            && seen.insert(item.clone())
        {
            items.push(item);
        }
    }
    let mut authors: Vec<(String, usize)> = authors.into_iter().collect();
    authors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    AwaySummary { authors, items }
}

/// `root.collection[item]…` → (collection, item).
fn touched_item(patch: &Patch) -> Option<(String, String)> {
    let key = |p: &Prop| match p {
        Prop::Map(k) => Some(k.clone()),
        Prop::Seq(_) => None,
    };
    match patch.path.as_slice() {
        [] => None,
        [(_, collection)] => match &patch.action {
            PatchAction::PutMap { key: item, .. } => Some((key(collection)?, item.clone())),
            _ => None,
        },
        [(_, collection), (_, item), ..] => Some((key(collection)?, key(item)?)),
    }
    .filter(|(c, _)| c != "authors")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        diagnosis::{Actor, Diagnosis, doc},
        record::sign,
    };
    use automerge::ActorId;

    #[test]
    fn initials_and_hue_are_stable() {
        let p = Presence {
            name: "salma benali".into(),
            editing: None,
        };
        assert_eq!(p.initials(), "SB");
        assert_eq!(p.hue(), p.clone().hue());
        let ar = Presence {
            name: "سلمى بنعلي".into(),
            editing: None,
        };
        assert_eq!(ar.initials().chars().count(), 2);
    }

    #[test]
    fn presence_travels_as_a_cbor_map() {
        let p = Presence {
            name: "Salma Benali".into(),
            editing: Some("actors/caid".into()),
        };
        assert_eq!(Presence::from_cbor(&p.to_cbor()), Some(p));
        // What cbor-x writes for `{name: "Nadia", editing: undefined, extra: 3}` in JS.
        let mut js = vec![0xa3, 0x64];
        js.extend(b"name");
        js.push(0x65);
        js.extend(b"Nadia");
        js.push(0x67);
        js.extend(b"editing");
        js.push(0xf7);
        js.push(0x65);
        js.extend(b"extra");
        js.push(0x03);
        assert_eq!(
            Presence::from_cbor(&js),
            Some(Presence {
                name: "Nadia".into(),
                editing: None
            })
        );
        // Old JSON presence, garbage, and a map without a name are not presences.
        assert_eq!(Presence::from_cbor(br#"{"name":"x"}"#), None);
        assert_eq!(Presence::from_cbor(&[0xff, 0x00]), None);
        assert_eq!(Presence::from_cbor(&[0xa0]), None);
    }

    #[test]
    fn the_summary_names_others_and_their_items() {
        let mut base = AutoCommit::new();
        doc::write(&mut base, &Diagnosis::default()).unwrap();
        base.commit();
        let mut mine = base.fork().with_actor(ActorId::from(vec![1; 16]));
        let mut theirs = base.fork().with_actor(ActorId::from(vec![2; 16]));
        let since = mine.get_heads();
        sign(&mut theirs, "Youssef").unwrap();
        let mut d = doc::read(&theirs);
        d.actors.insert(
            "caid".into(),
            Actor {
                name: "Caïdat".into(),
                ..Actor::default()
            },
        );
        doc::write(&mut theirs, &d).unwrap();
        theirs.commit();
        d.actors.get_mut(&"caid".into()).unwrap().influence = 5;
        doc::write(&mut theirs, &d).unwrap();
        theirs.commit();
        mine.merge(&mut theirs).unwrap();
        let me = mine.get_actor().clone();
        let s = away_summary(&mut mine, &since, &me, "?", None);
        assert_eq!(s.authors, vec![("Youssef".to_owned(), 2)]);
        assert_eq!(s.items, vec![("actors".to_owned(), "caid".to_owned())]);
        // Changes stamped after the return are live edits, not news from the absence.
        sign(&mut theirs, "Youssef").unwrap();
        d.actors.get_mut(&"caid".into()).unwrap().interest = 1;
        doc::write(&mut theirs, &d).unwrap();
        theirs.commit_with(automerge::transaction::CommitOptions::default().with_time(5_000));
        let before_live = mine.get_heads();
        mine.merge(&mut theirs).unwrap();
        assert!(away_summary(&mut mine, &before_live, &me, "?", Some(4_000)).is_empty());
        assert_eq!(
            away_summary(&mut mine, &before_live, &me, "?", Some(6_000))
                .authors
                .len(),
            1
        );
        // Nothing from others: empty.
        let heads = mine.get_heads();
        assert!(away_summary(&mut mine, &heads, &me, "?", None).is_empty());
    }
}
