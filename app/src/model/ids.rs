//! Stable item ids inside a document.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The id of an item (an actor, a tie, an issue…) inside one document: short, random, and
/// never reused, so items added offline by different people never collide.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ItemId(pub String);

impl ItemId {
    /// A fresh id: 12 characters from a 62-letter alphabet, drawn from a random UUID.
    pub fn random() -> Self {
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        // automerge's actor ids are random UUIDs drawn from the system (or, in the browser,
        // crypto.getRandomValues): the same source serves our ids.
        let bytes = automerge::ActorId::random().to_bytes().to_vec();
        ItemId(
            bytes[..12]
                .iter()
                .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ItemId {
    fn from(s: &str) -> Self {
        ItemId(s.to_owned())
    }
}
