//! The automerge-repo WebSocket protocol, version "1": one CBOR map per binary frame.
//!
//! Decoding accepts what real peers send, not only what the README says: `peerMetadata` or
//! `metadata`, `supportedProtocolVersions` as an array or a single string, document ids as text
//! or 16 raw bytes, counts and timestamps as integers or floats, `undefined` where a value is
//! absent, and unknown keys (skipped). Encoding writes what the JS implementation reads.

use minicbor::{Decoder, Encoder, data::Type};

use super::ids::{DocumentId, PeerId};

pub const PROTOCOL_VERSION: &str = "1";

/// `peerMetadata` of `join` and `peer`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerMetadata {
    pub storage_id: Option<String>,
    pub is_ephemeral: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    Join {
        sender: PeerId,
        metadata: Option<PeerMetadata>,
        /// `None` when the field is absent (treated as version "1", as the JS server does).
        versions: Option<Vec<String>>,
    },
    Peer {
        sender: PeerId,
        target: PeerId,
        metadata: Option<PeerMetadata>,
        selected_version: String,
    },
    Error {
        message: String,
        sender: Option<PeerId>,
        target: Option<PeerId>,
    },
    Leave {
        sender: PeerId,
    },
    Request {
        document: DocumentId,
        sender: PeerId,
        target: PeerId,
        data: Vec<u8>,
    },
    Sync {
        document: DocumentId,
        sender: PeerId,
        target: PeerId,
        data: Vec<u8>,
    },
    DocUnavailable {
        document: DocumentId,
        sender: PeerId,
        target: PeerId,
    },
    Ephemeral {
        document: DocumentId,
        sender: PeerId,
        target: PeerId,
        count: u64,
        session: String,
        data: Vec<u8>,
    },
    RemoteSubscriptionChange {
        sender: PeerId,
        target: PeerId,
        add: Vec<String>,
        remove: Vec<String>,
    },
    /// Decoded for tolerance; Terrain does not gossip remote heads.
    RemoteHeadsChanged {
        document: DocumentId,
        sender: PeerId,
        target: PeerId,
    },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("malformed CBOR: {0}")]
    Cbor(String),
    #[error("a message must be a CBOR map")]
    NotAMap,
    #[error("message without a type")]
    MissingType,
    #[error("unknown message type {0:?}")]
    UnknownType(String),
    #[error("{message} message without {field}")]
    MissingField {
        message: &'static str,
        field: &'static str,
    },
    #[error("invalid document id")]
    BadDocumentId,
    #[error("trailing bytes after the message")]
    Trailing,
}

impl From<minicbor::decode::Error> for DecodeError {
    fn from(e: minicbor::decode::Error) -> Self {
        DecodeError::Cbor(e.to_string())
    }
}

/// Every field any message may carry, filled while reading the map.
#[derive(Default)]
struct Fields {
    kind: Option<String>,
    sender: Option<String>,
    target: Option<String>,
    document: Option<Result<DocumentId, DecodeError>>,
    data: Option<Vec<u8>>,
    message: Option<String>,
    metadata: Option<PeerMetadata>,
    versions: Option<Vec<String>>,
    selected_version: Option<String>,
    count: Option<u64>,
    session: Option<String>,
    add: Vec<String>,
    remove: Vec<String>,
}

/// Skips `undefined`/`null`; answers whether a value follows.
fn present(d: &mut Decoder<'_>) -> Result<bool, DecodeError> {
    match d.datatype()? {
        Type::Undefined | Type::Null => {
            d.skip()?;
            Ok(false)
        }
        _ => Ok(true),
    }
}

fn text(d: &mut Decoder<'_>) -> Result<Option<String>, DecodeError> {
    if !present(d)? {
        return Ok(None);
    }
    match d.datatype()? {
        Type::String | Type::StringIndef => {
            let mut out = String::new();
            for piece in d.str_iter()? {
                out.push_str(piece?);
            }
            Ok(Some(out))
        }
        _ => {
            d.skip()?;
            Ok(None)
        }
    }
}

fn bytes(d: &mut Decoder<'_>) -> Result<Option<Vec<u8>>, DecodeError> {
    if !present(d)? {
        return Ok(None);
    }
    match d.datatype()? {
        Type::Bytes | Type::BytesIndef => {
            let mut out = Vec::new();
            for piece in d.bytes_iter()? {
                out.extend_from_slice(piece?);
            }
            Ok(Some(out))
        }
        // cbor-x may tag typed arrays (tag 64 + bytes) when configured differently.
        Type::Tag => {
            d.tag()?;
            bytes(d)
        }
        _ => {
            d.skip()?;
            Ok(None)
        }
    }
}

/// An unsigned integer, also when a JS encoder sent it as a float.
fn number(d: &mut Decoder<'_>) -> Result<Option<u64>, DecodeError> {
    if !present(d)? {
        return Ok(None);
    }
    Ok(match d.datatype()? {
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => Some(d.u64()?),
        Type::F16 | Type::F32 | Type::F64 => {
            let f = d.f64()?;
            (f.is_finite() && f >= 0.0).then_some(f as u64)
        }
        _ => {
            d.skip()?;
            None
        }
    })
}

fn strings(d: &mut Decoder<'_>) -> Result<Vec<String>, DecodeError> {
    if !present(d)? {
        return Ok(Vec::new());
    }
    match d.datatype()? {
        Type::Array | Type::ArrayIndef => {
            let len = d.array()?;
            let mut out = Vec::new();
            let mut i = 0u64;
            loop {
                match len {
                    Some(n) if i >= n => break,
                    None if d.datatype()? == Type::Break => {
                        d.skip()?;
                        break;
                    }
                    _ => {}
                }
                if let Some(s) = text(d)? {
                    out.push(s);
                }
                i += 1;
            }
            Ok(out)
        }
        Type::String | Type::StringIndef => Ok(text(d)?.into_iter().collect()),
        _ => {
            d.skip()?;
            Ok(Vec::new())
        }
    }
}

fn metadata(d: &mut Decoder<'_>) -> Result<Option<PeerMetadata>, DecodeError> {
    if !present(d)? {
        return Ok(None);
    }
    if !matches!(d.datatype()?, Type::Map | Type::MapIndef) {
        d.skip()?;
        return Ok(None);
    }
    let mut meta = PeerMetadata::default();
    each_entry(d, |key, d| {
        match key {
            "storageId" => meta.storage_id = text(d)?,
            "isEphemeral" => {
                meta.is_ephemeral = match d.datatype()? {
                    Type::Bool => d.bool()?,
                    _ => {
                        d.skip()?;
                        false
                    }
                }
            }
            _ => d.skip()?,
        }
        Ok(())
    })?;
    Ok(Some(meta))
}

fn document(d: &mut Decoder<'_>) -> Result<Option<Result<DocumentId, DecodeError>>, DecodeError> {
    if !present(d)? {
        return Ok(None);
    }
    Ok(Some(match d.datatype()? {
        Type::Bytes | Type::BytesIndef => {
            let raw = bytes(d)?.unwrap_or_default();
            DocumentId::from_bytes(&raw).ok_or(DecodeError::BadDocumentId)
        }
        _ => match text(d)? {
            Some(t) => DocumentId::parse(&t).ok_or(DecodeError::BadDocumentId),
            None => Err(DecodeError::BadDocumentId),
        },
    }))
}

/// Calls `f` for each entry of the map under the cursor, with its (text) key.
fn each_entry(
    d: &mut Decoder<'_>,
    mut f: impl FnMut(&str, &mut Decoder<'_>) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let len = d.map()?;
    let mut i = 0u64;
    loop {
        match len {
            Some(n) if i >= n => break,
            None if d.datatype()? == Type::Break => {
                d.skip()?;
                break;
            }
            _ => {}
        }
        match text(d)? {
            Some(key) => f(&key, d)?,
            None => d.skip()?,
        }
        i += 1;
    }
    Ok(())
}

/// Encodes a flat map of text keys to text or `null`, as CBOR: the shape of the `data` Terrain
/// puts in `ephemeral` messages (automerge-repo peers decode ephemeral data as CBOR).
pub fn encode_text_map(entries: &[(&str, Option<&str>)]) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    let _ = e.map(entries.len() as u64);
    for (key, value) in entries {
        let _ = e.str(key);
        let _ = match value {
            Some(v) => e.str(v),
            None => e.null(),
        };
    }
    e.into_writer()
}

/// Reads a CBOR map's text entries; values of other types read as `None`, non-text keys are
/// skipped.
pub fn decode_text_map(data: &[u8]) -> Result<Vec<(String, Option<String>)>, DecodeError> {
    let mut d = Decoder::new(data);
    if !matches!(d.datatype()?, Type::Map | Type::MapIndef) {
        return Err(DecodeError::NotAMap);
    }
    let mut out = Vec::new();
    each_entry(&mut d, |key, d| {
        out.push((key.to_owned(), text(d)?));
        Ok(())
    })?;
    if d.position() != data.len() {
        return Err(DecodeError::Trailing);
    }
    Ok(out)
}

/// One `sync` message for many targets: everything but `targetId` is encoded once, and each
/// frame is then a copy with the target written in. The hub's fan-out sends the same message
/// to every reader in step; encoding it whole for each cost a growing buffer and three string
/// copies per reader.
pub struct SyncFrame {
    /// Up to and including the `targetId` key.
    head: Vec<u8>,
    /// The `data` entry.
    tail: Vec<u8>,
}

impl SyncFrame {
    pub fn new(document: &DocumentId, sender: &PeerId, data: &[u8]) -> Self {
        let mut head = Encoder::new(Vec::new());
        let _ = head
            .map(5)
            .and_then(|e| e.str("type")?.str("sync"))
            .and_then(|e| e.str("documentId")?.str(document.as_str()))
            .and_then(|e| e.str("senderId")?.str(&sender.0))
            .and_then(|e| e.str("targetId"));
        let mut tail = Encoder::new(Vec::with_capacity(data.len() + 16));
        let _ = tail.str("data").and_then(|e| e.bytes(data));
        Self {
            head: head.into_writer(),
            tail: tail.into_writer(),
        }
    }

    /// The frame for `target`: what [`Message::Sync`]'s `encode` writes.
    pub fn to(&self, target: &PeerId) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.head.len() + target.0.len() + 9 + self.tail.len());
        out.extend_from_slice(&self.head);
        let mut e = Encoder::new(out);
        let _ = e.str(&target.0);
        let mut out = e.into_writer();
        out.extend_from_slice(&self.tail);
        out
    }
}

impl Message {
    pub fn decode(frame: &[u8]) -> Result<Message, DecodeError> {
        let mut d = Decoder::new(frame);
        if !matches!(d.datatype()?, Type::Map | Type::MapIndef) {
            return Err(DecodeError::NotAMap);
        }
        let mut f = Fields::default();
        each_entry(&mut d, |key, d| {
            match key {
                "type" => f.kind = text(d)?,
                "senderId" => f.sender = text(d)?,
                "targetId" => f.target = text(d)?,
                "documentId" => f.document = document(d)?,
                "data" => f.data = bytes(d)?,
                "message" => f.message = text(d)?,
                "peerMetadata" | "metadata" => f.metadata = metadata(d)?,
                "supportedProtocolVersions" => f.versions = Some(strings(d)?),
                "selectedProtocolVersion" => f.selected_version = text(d)?,
                "count" => f.count = number(d)?,
                "sessionId" => f.session = text(d)?,
                "add" => f.add = strings(d)?,
                "remove" => f.remove = strings(d)?,
                _ => d.skip()?,
            }
            Ok(())
        })?;
        if d.position() != frame.len() {
            return Err(DecodeError::Trailing);
        }
        f.into_message()
    }

    /// The document a message is about, if any.
    pub fn document(&self) -> Option<&DocumentId> {
        match self {
            Message::Request { document, .. }
            | Message::Sync { document, .. }
            | Message::DocUnavailable { document, .. }
            | Message::Ephemeral { document, .. }
            | Message::RemoteHeadsChanged { document, .. } => Some(document),
            _ => None,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        // Writing to a Vec cannot fail; the results carry only the Infallible error.
        let _ = self.encode_into(&mut e);
        e.into_writer()
    }

    fn encode_into(
        &self,
        e: &mut Encoder<Vec<u8>>,
    ) -> Result<(), minicbor::encode::Error<std::convert::Infallible>> {
        fn meta(
            e: &mut Encoder<Vec<u8>>,
            m: &PeerMetadata,
        ) -> Result<(), minicbor::encode::Error<std::convert::Infallible>> {
            let n = 1 + u64::from(m.storage_id.is_some());
            e.str("peerMetadata")?.map(n)?;
            if let Some(s) = &m.storage_id {
                e.str("storageId")?.str(s)?;
            }
            e.str("isEphemeral")?.bool(m.is_ephemeral)?;
            Ok(())
        }
        match self {
            Message::Join {
                sender,
                metadata,
                versions,
            } => {
                let n = 2 + u64::from(metadata.is_some()) + u64::from(versions.is_some());
                e.map(n)?
                    .str("type")?
                    .str("join")?
                    .str("senderId")?
                    .str(&sender.0)?;
                if let Some(m) = metadata {
                    meta(e, m)?;
                }
                if let Some(v) = versions {
                    e.str("supportedProtocolVersions")?.array(v.len() as u64)?;
                    for s in v {
                        e.str(s)?;
                    }
                }
            }
            Message::Peer {
                sender,
                target,
                metadata,
                selected_version,
            } => {
                let n = 4 + u64::from(metadata.is_some());
                e.map(n)?.str("type")?.str("peer")?;
                e.str("senderId")?.str(&sender.0)?;
                e.str("targetId")?.str(&target.0)?;
                e.str("selectedProtocolVersion")?.str(selected_version)?;
                if let Some(m) = metadata {
                    meta(e, m)?;
                }
            }
            Message::Error {
                message,
                sender,
                target,
            } => {
                let n = 2 + u64::from(sender.is_some()) + u64::from(target.is_some());
                e.map(n)?
                    .str("type")?
                    .str("error")?
                    .str("message")?
                    .str(message)?;
                if let Some(s) = sender {
                    e.str("senderId")?.str(&s.0)?;
                }
                if let Some(t) = target {
                    e.str("targetId")?.str(&t.0)?;
                }
            }
            Message::Leave { sender } => {
                e.map(2)?
                    .str("type")?
                    .str("leave")?
                    .str("senderId")?
                    .str(&sender.0)?;
            }
            Message::Request {
                document,
                sender,
                target,
                data,
            }
            | Message::Sync {
                document,
                sender,
                target,
                data,
            } => {
                let kind = if matches!(self, Message::Request { .. }) {
                    "request"
                } else {
                    "sync"
                };
                e.map(5)?.str("type")?.str(kind)?;
                e.str("documentId")?.str(document.as_str())?;
                e.str("senderId")?.str(&sender.0)?;
                e.str("targetId")?.str(&target.0)?;
                e.str("data")?.bytes(data)?;
            }
            Message::DocUnavailable {
                document,
                sender,
                target,
            } => {
                e.map(4)?.str("type")?.str("doc-unavailable")?;
                e.str("documentId")?.str(document.as_str())?;
                e.str("senderId")?.str(&sender.0)?;
                e.str("targetId")?.str(&target.0)?;
            }
            Message::Ephemeral {
                document,
                sender,
                target,
                count,
                session,
                data,
            } => {
                e.map(7)?.str("type")?.str("ephemeral")?;
                e.str("documentId")?.str(document.as_str())?;
                e.str("senderId")?.str(&sender.0)?;
                e.str("targetId")?.str(&target.0)?;
                e.str("count")?.u64(*count)?;
                e.str("sessionId")?.str(session)?;
                e.str("data")?.bytes(data)?;
            }
            Message::RemoteSubscriptionChange {
                sender,
                target,
                add,
                remove,
            } => {
                e.map(5)?.str("type")?.str("remote-subscription-change")?;
                e.str("senderId")?.str(&sender.0)?;
                e.str("targetId")?.str(&target.0)?;
                e.str("add")?.array(add.len() as u64)?;
                for s in add {
                    e.str(s)?;
                }
                e.str("remove")?.array(remove.len() as u64)?;
                for s in remove {
                    e.str(s)?;
                }
            }
            Message::RemoteHeadsChanged {
                document,
                sender,
                target,
            } => {
                e.map(5)?.str("type")?.str("remote-heads-changed")?;
                e.str("documentId")?.str(document.as_str())?;
                e.str("senderId")?.str(&sender.0)?;
                e.str("targetId")?.str(&target.0)?;
                e.str("newHeads")?.map(0)?;
            }
        }
        Ok(())
    }
}

impl Fields {
    fn into_message(self) -> Result<Message, DecodeError> {
        let kind = self.kind.ok_or(DecodeError::MissingType)?;
        macro_rules! need {
            ($field:expr, $msg:literal, $name:literal) => {
                $field.ok_or(DecodeError::MissingField {
                    message: $msg,
                    field: $name,
                })?
            };
        }
        Ok(match kind.as_str() {
            "join" => Message::Join {
                sender: PeerId(need!(self.sender, "join", "senderId")),
                metadata: self.metadata,
                versions: self.versions,
            },
            "peer" => Message::Peer {
                sender: PeerId(need!(self.sender, "peer", "senderId")),
                target: PeerId(need!(self.target, "peer", "targetId")),
                metadata: self.metadata,
                selected_version: self
                    .selected_version
                    .unwrap_or_else(|| PROTOCOL_VERSION.into()),
            },
            "error" => Message::Error {
                message: self.message.unwrap_or_default(),
                sender: self.sender.map(PeerId),
                target: self.target.map(PeerId),
            },
            "leave" => Message::Leave {
                sender: PeerId(need!(self.sender, "leave", "senderId")),
            },
            "request" | "sync" => {
                let document = need!(self.document, "sync", "documentId")?;
                let sender = PeerId(need!(self.sender, "sync", "senderId"));
                let target = PeerId(need!(self.target, "sync", "targetId"));
                let data = need!(self.data, "sync", "data");
                if kind == "request" {
                    Message::Request {
                        document,
                        sender,
                        target,
                        data,
                    }
                } else {
                    Message::Sync {
                        document,
                        sender,
                        target,
                        data,
                    }
                }
            }
            "doc-unavailable" => Message::DocUnavailable {
                document: need!(self.document, "doc-unavailable", "documentId")?,
                sender: PeerId(need!(self.sender, "doc-unavailable", "senderId")),
                target: PeerId(need!(self.target, "doc-unavailable", "targetId")),
            },
            "ephemeral" => Message::Ephemeral {
                document: need!(self.document, "ephemeral", "documentId")?,
                sender: PeerId(need!(self.sender, "ephemeral", "senderId")),
                target: PeerId(need!(self.target, "ephemeral", "targetId")),
                count: need!(self.count, "ephemeral", "count"),
                session: need!(self.session, "ephemeral", "sessionId"),
                data: need!(self.data, "ephemeral", "data"),
            },
            "remote-subscription-change" => Message::RemoteSubscriptionChange {
                sender: PeerId(need!(self.sender, "remote-subscription-change", "senderId")),
                target: PeerId(self.target.unwrap_or_default()),
                add: self.add,
                remove: self.remove,
            },
            "remote-heads-changed" => Message::RemoteHeadsChanged {
                document: need!(self.document, "remote-heads-changed", "documentId")?,
                sender: PeerId(need!(self.sender, "remote-heads-changed", "senderId")),
                target: PeerId(self.target.unwrap_or_default()),
            },
            other => return Err(DecodeError::UnknownType(other.to_owned())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    const DOC: &str = "2VzPLXwa4R41PB944FYJS46nvFdj";

    #[test]
    fn decodes_a_join_as_cbor_x_writes_it() {
        let frame = hex(
            "a4 64 74797065 64 6a6f696e 68 73656e6465724964 68 706565722d616263 6c 706565724d65746164617461
             a2 69 73746f726167654964 64 61316232 6b 6973457068656d6572616c f4
             78 19 737570706f7274656450726f746f636f6c56657273696f6e73 81 61 31",
        );
        assert_eq!(
            Message::decode(&frame).unwrap(),
            Message::Join {
                sender: PeerId("peer-abc".into()),
                metadata: Some(PeerMetadata {
                    storage_id: Some("a1b2".into()),
                    is_ephemeral: false
                }),
                versions: Some(vec!["1".into()]),
            }
        );
    }

    #[test]
    fn encodes_a_peer_that_js_reads() {
        let peer = Message::Peer {
            sender: PeerId("srv".into()),
            target: PeerId("peer-abc".into()),
            metadata: Some(PeerMetadata {
                storage_id: None,
                is_ephemeral: true,
            }),
            selected_version: "1".into(),
        };
        let bytes = peer.encode();
        assert_eq!(Message::decode(&bytes).unwrap(), peer);
        assert!(bytes.windows(12).any(|w| w == b"peerMetadata"));
    }

    #[test]
    fn every_message_round_trips() {
        let doc = DocumentId::parse(DOC).unwrap();
        let p = |s: &str| PeerId(s.into());
        let all = [
            Message::Leave { sender: p("a") },
            Message::Error {
                message: "nope".into(),
                sender: Some(p("s")),
                target: None,
            },
            Message::Request {
                document: doc.clone(),
                sender: p("a"),
                target: p("s"),
                data: vec![0x42, 1],
            },
            Message::Sync {
                document: doc.clone(),
                sender: p("a"),
                target: p("s"),
                data: vec![0x42, 2],
            },
            Message::DocUnavailable {
                document: doc.clone(),
                sender: p("s"),
                target: p("a"),
            },
            Message::Ephemeral {
                document: doc.clone(),
                sender: p("a"),
                target: p("s"),
                count: 7,
                session: "k2h9".into(),
                data: vec![0xa0],
            },
            Message::RemoteSubscriptionChange {
                sender: p("a"),
                target: p("s"),
                add: vec!["x".into()],
                remove: vec![],
            },
        ];
        for m in all {
            assert_eq!(Message::decode(&m.encode()).unwrap(), m);
        }
    }

    #[test]
    fn tolerates_floats_undefined_metadata_and_byte_ids() {
        // {type:"ephemeral", documentId: h'16 bytes', senderId:"a", targetId:"s",
        //  count: 7.0 (float64), sessionId:"k", data:h'a0', extra: undefined}
        let id = bs58::decode(DOC).with_check(None).into_vec().unwrap();
        let mut e = Encoder::new(Vec::new());
        e.map(8).unwrap();
        e.str("type").unwrap().str("ephemeral").unwrap();
        e.str("documentId").unwrap().bytes(&id).unwrap();
        e.str("senderId").unwrap().str("a").unwrap();
        e.str("targetId").unwrap().str("s").unwrap();
        e.str("count").unwrap().f64(7.0).unwrap();
        e.str("sessionId").unwrap().str("k").unwrap();
        e.str("data").unwrap().bytes(&[0xa0]).unwrap();
        e.str("extra").unwrap().undefined().unwrap();
        match Message::decode(&e.into_writer()).unwrap() {
            Message::Ephemeral {
                count, document, ..
            } => {
                assert_eq!(count, 7);
                assert_eq!(document.as_str(), DOC);
            }
            other => panic!("{other:?}"),
        }
        // `metadata` instead of `peerMetadata`, storageId undefined, a scalar version.
        let mut e = Encoder::new(Vec::new());
        e.map(4).unwrap();
        e.str("type").unwrap().str("join").unwrap();
        e.str("senderId").unwrap().str("p").unwrap();
        e.str("metadata").unwrap().map(2).unwrap();
        e.str("storageId").unwrap().undefined().unwrap();
        e.str("isEphemeral").unwrap().bool(true).unwrap();
        e.str("supportedProtocolVersions")
            .unwrap()
            .str("1")
            .unwrap();
        assert_eq!(
            Message::decode(&e.into_writer()).unwrap(),
            Message::Join {
                sender: PeerId("p".into()),
                metadata: Some(PeerMetadata {
                    storage_id: None,
                    is_ephemeral: true
                }),
                versions: Some(vec!["1".into()]),
            }
        );
        // remote-subscription-change with only `add`, and `remove: undefined`.
        let mut e = Encoder::new(Vec::new());
        e.map(4).unwrap();
        e.str("type")
            .unwrap()
            .str("remote-subscription-change")
            .unwrap();
        e.str("senderId").unwrap().str("p").unwrap();
        e.str("add").unwrap().array(1).unwrap().str("x").unwrap();
        e.str("remove").unwrap().undefined().unwrap();
        assert!(matches!(
            Message::decode(&e.into_writer()).unwrap(),
            Message::RemoteSubscriptionChange { .. }
        ));
    }

    #[test]
    fn bad_frames_are_errors_not_panics() {
        assert!(matches!(Message::decode(&[]), Err(DecodeError::Cbor(_))));
        assert_eq!(Message::decode(&[0x01]), Err(DecodeError::NotAMap));
        assert!(Message::decode(&[0xa1, 0x64]).is_err(), "truncated");
        let mut e = Encoder::new(Vec::new());
        e.map(1).unwrap().str("type").unwrap().str("dance").unwrap();
        assert_eq!(
            Message::decode(&e.into_writer()),
            Err(DecodeError::UnknownType("dance".into()))
        );
        let mut e = Encoder::new(Vec::new());
        e.map(2).unwrap().str("type").unwrap().str("sync").unwrap();
        e.str("documentId").unwrap().str("zzz").unwrap();
        assert_eq!(
            Message::decode(&e.into_writer()),
            Err(DecodeError::BadDocumentId)
        );
        let mut frame = Message::Leave {
            sender: PeerId("a".into()),
        }
        .encode();
        frame.push(0);
        assert_eq!(Message::decode(&frame), Err(DecodeError::Trailing));
    }

    #[test]
    fn a_sync_frame_for_each_target_is_the_message_encoded_whole() {
        let document = DocumentId::parse(DOC).unwrap();
        let sender = PeerId("terrain-server".into());
        // Data and target lengths on both sides of CBOR's length boundaries (23, 255, 65535).
        for len in [0usize, 23, 24, 255, 256, 70_000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let frame = SyncFrame::new(&document, &sender, &data);
            for target in ["", "r", &"t".repeat(24), &"p".repeat(300)] {
                let target = PeerId(target.to_owned());
                let whole = Message::Sync {
                    document: document.clone(),
                    sender: sender.clone(),
                    target: target.clone(),
                    data: data.clone(),
                }
                .encode();
                assert_eq!(
                    frame.to(&target),
                    whole,
                    "data {len}, target {}",
                    target.0.len()
                );
            }
        }
    }
}
