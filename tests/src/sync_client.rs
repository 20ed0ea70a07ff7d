//! A minimal automerge-repo peer over a real WebSocket, for tests and the load generator: it
//! joins, keeps one automerge document per id with its sync state, and syncs until quiet.

use app::sync::{DocumentId, Message, PeerId};
use automerge::{
    AutoCommit, ROOT, ReadDoc,
    sync::{self, SyncDoc},
    transaction::Transactable,
};
use futures_util::{SinkExt, StreamExt};
use std::{collections::HashMap, time::Duration};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async_with_config,
    tungstenite::{Message as Ws, client::IntoClientRequest, protocol::WebSocketConfig},
};

pub type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

pub struct SyncClient {
    pub peer: PeerId,
    server: Option<PeerId>,
    socket: Socket,
    pub docs: HashMap<DocumentId, (AutoCommit, sync::State)>,
    pub errors: Vec<String>,
    pub unavailable: Vec<DocumentId>,
    pub ephemeral: Vec<Vec<u8>>,
    pub closed: bool,
}

impl SyncClient {
    /// Connects to `ws://addr/sync?token=…` and completes the join/peer handshake.
    pub async fn connect(
        addr: std::net::SocketAddr,
        token: &str,
        name: &str,
    ) -> anyhow::Result<Self> {
        let url = format!("ws://{addr}/sync?token={token}");
        // No Nagle delay, as browsers do. A 4 KiB read buffer rather than tungstenite's 128 KiB,
        // which it zero-fills before every read: with a hundred clients on the machine under
        // test that was about 10 µs of CPU per frame taken from the server.
        let config = WebSocketConfig::default().read_buffer_size(4096);
        let (socket, _) =
            connect_async_with_config(url.into_client_request()?, Some(config), true).await?;
        let mut client = Self {
            peer: PeerId(name.to_owned()),
            server: None,
            socket,
            docs: HashMap::new(),
            errors: Vec::new(),
            unavailable: Vec::new(),
            ephemeral: Vec::new(),
            closed: false,
        };
        let join = Message::Join {
            sender: client.peer.clone(),
            metadata: None,
            versions: Some(vec!["1".into()]),
        };
        client.send_raw(join.encode()).await?;
        match client.next(Duration::from_secs(5)).await? {
            Some(Message::Peer { sender, .. }) => client.server = Some(sender),
            other => anyhow::bail!("expected peer, got {other:?}"),
        }
        Ok(client)
    }

    pub async fn send_raw(&mut self, frame: Vec<u8>) -> anyhow::Result<()> {
        self.socket.send(Ws::Binary(frame.into())).await?;
        Ok(())
    }

    pub async fn send_text(&mut self, text: &str) -> anyhow::Result<()> {
        self.socket.send(Ws::Text(text.to_owned().into())).await?;
        Ok(())
    }

    /// The next protocol message, `None` on timeout or close.
    pub async fn next(&mut self, wait: Duration) -> anyhow::Result<Option<Message>> {
        loop {
            match tokio::time::timeout(wait, self.socket.next()).await {
                Err(_) => return Ok(None),
                Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Ws::Close(_)))) => {
                    self.closed = true;
                    return Ok(None);
                }
                Ok(Some(Ok(Ws::Binary(b)))) => return Ok(Some(Message::decode(&b)?)),
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// Starts syncing a document (empty locally, as `repo.find` would).
    pub fn open(&mut self, doc: &DocumentId) {
        self.docs
            .entry(doc.clone())
            .or_insert_with(|| (AutoCommit::new(), sync::State::new()));
    }

    /// Sends whatever the server lacks of this document (nothing if in sync).
    pub async fn push(&mut self, doc: &DocumentId) -> anyhow::Result<()> {
        let Some(server) = self.server.clone() else {
            return Ok(());
        };
        let Some((am, state)) = self.docs.get_mut(doc) else {
            return Ok(());
        };
        let generated = am.sync().generate_sync_message(state);
        if let Some(m) = generated {
            let frame = Message::Sync {
                document: doc.clone(),
                sender: self.peer.clone(),
                target: server,
                data: m.encode(),
            };
            self.send_raw(frame.encode()).await?;
        }
        Ok(())
    }

    /// Exchanges messages until nothing arrives for `quiet`.
    pub async fn sync(&mut self, quiet: Duration) -> anyhow::Result<()> {
        let ids: Vec<DocumentId> = self.docs.keys().cloned().collect();
        for id in &ids {
            self.push(id).await?;
        }
        while let Some(message) = self.next(quiet).await? {
            self.apply(message).await?;
        }
        Ok(())
    }

    pub async fn apply(&mut self, message: Message) -> anyhow::Result<()> {
        match message {
            Message::Sync { document, data, .. } => {
                let (am, state) = self
                    .docs
                    .entry(document.clone())
                    .or_insert_with(|| (AutoCommit::new(), sync::State::new()));
                // As Terrain's own clients take it.
                app::sync::receive_sync_message(am, state, sync::Message::decode(&data)?)?;
                self.push(&document).await?;
            }
            Message::DocUnavailable { document, .. } => self.unavailable.push(document),
            Message::Error { message, .. } => self.errors.push(message),
            Message::Ephemeral { data, .. } => self.ephemeral.push(data),
            _ => {}
        }
        Ok(())
    }

    pub async fn put(&mut self, doc: &DocumentId, key: &str, value: &str) -> anyhow::Result<()> {
        if let Some((am, _)) = self.docs.get_mut(doc) {
            am.put(ROOT, key, value)?;
            am.commit();
        }
        self.push(doc).await
    }

    /// A string at the root: a text object or a scalar string.
    pub fn get(&mut self, doc: &DocumentId, key: &str) -> Option<String> {
        let (am, _) = self.docs.get(doc)?;
        let (value, id) = am.get(ROOT, key).ok()??;
        match value {
            automerge::Value::Object(automerge::ObjType::Text) => am.text(&id).ok(),
            other => other.into_scalar().ok()?.into_string().ok(),
        }
    }

    /// The heads the server has confirmed (our sync state's shared heads): every change in
    /// their history has been acknowledged.
    pub fn acknowledged(&self, doc: &DocumentId) -> Vec<automerge::ChangeHash> {
        self.docs
            .get(doc)
            .map(|(_, state)| state.shared_heads.clone())
            .unwrap_or_default()
    }

    /// Whether the document holds this change.
    pub fn has_change(&self, doc: &DocumentId, hash: &automerge::ChangeHash) -> bool {
        self.docs
            .get(doc)
            .is_some_and(|(am, _)| am.get_change_by_hash(hash).is_some())
    }

    pub fn heads(&mut self, doc: &DocumentId) -> Vec<automerge::ChangeHash> {
        self.docs
            .get_mut(doc)
            .map(|(am, _)| am.get_heads())
            .unwrap_or_default()
    }

    /// The socket, both peer ids and one document's replica with its sync state, for a caller
    /// that drives them itself.
    pub fn into_parts(
        mut self,
        doc: &DocumentId,
    ) -> Option<(Socket, PeerId, PeerId, AutoCommit, sync::State)> {
        let (am, state) = self.docs.remove(doc)?;
        Some((self.socket, self.peer, self.server?, am, state))
    }

    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}
