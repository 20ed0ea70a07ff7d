//! Identifiers on the wire: document ids (bs58check of a 16-byte UUID, as automerge-repo writes
//! them), peer ids (any string a peer picks), and connection ids (ours, never on the wire).

use std::fmt;

/// An automerge-repo document id, validated: bs58check of exactly 16 bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId(String);

impl DocumentId {
    /// Accepts the bs58check text form only.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = bs58::decode(text).with_check(None).into_vec().ok()?;
        (bytes.len() == 16).then(|| Self(text.to_owned()))
    }

    /// From the 16 raw bytes some peers send instead of the text form.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        (bytes.len() == 16).then(|| Self(bs58::encode(bytes).with_check().into_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `automerge:<id>`.
    pub fn url(&self) -> String {
        format!("automerge:{}", self.0)
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A peer's self-chosen id, as sent in `join`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId(pub String);

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One network connection, numbered by the driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(pub u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_round_trip_between_text_and_bytes() {
        let id = DocumentId::parse("2VzPLXwa4R41PB944FYJS46nvFdj").unwrap();
        let bytes = bs58::decode(id.as_str())
            .with_check(None)
            .into_vec()
            .unwrap();
        assert_eq!(DocumentId::from_bytes(&bytes), Some(id.clone()));
        assert_eq!(id.url(), "automerge:2VzPLXwa4R41PB944FYJS46nvFdj");
        assert_eq!(
            DocumentId::parse("2VzPLXwa4R41PB944FYJS46nvFdk"),
            None,
            "bad checksum"
        );
        assert_eq!(DocumentId::parse("not base58 0OIl"), None);
        assert_eq!(DocumentId::from_bytes(&[1, 2, 3]), None);
    }
}
