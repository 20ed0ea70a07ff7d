//! Registering documents: a new automerge-repo id, the registry row, and the document's first
//! change (holding `kind` and `title` at the root), stored together in one transaction.

use app::accounts::DocumentKind;
use automerge::{AutoCommit, ObjType, ROOT, transaction::Transactable};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, TransactionTrait};

use crate::store::{
    StoreError,
    entities::{document, document_chunk},
};

/// A fresh document id as automerge-repo writes it: the bs58check encoding of 16 random bytes
/// laid out as a UUID v4 (JS peers check that shape).
pub fn new_document_id() -> String {
    bs58::encode(uuid::Uuid::new_v4().as_bytes())
        .with_check()
        .into_string()
}

/// Whether a string is a well-formed document id.
pub fn is_document_id(id: &str) -> bool {
    bs58::decode(id)
        .with_check(None)
        .into_vec()
        .is_ok_and(|bytes| bytes.len() == 16)
}

/// Fills a new document's first change beyond its kind, title and collections.
pub type Seed<'a> = &'a (dyn Fn(&mut AutoCommit) -> Result<(), automerge::AutomergeError> + Sync);

/// The automerge bytes of a new document: one change setting `kind` and `title`, as text
/// objects (what automerge-repo's JS clients write, and read as plain strings), and creating
/// the kind's collections, so that no two peers ever create one concurrently.
pub fn initial_document(
    kind: DocumentKind,
    title: &str,
    seed: Option<Seed<'_>>,
) -> Result<Vec<u8>, automerge::AutomergeError> {
    let mut doc = AutoCommit::new();
    for (key, value) in [("kind", kind.as_str()), ("title", title)] {
        let text = doc.put_object(ROOT, key, ObjType::Text)?;
        doc.splice_text(&text, 0, 0, value)?;
    }
    app::model::record::init_collections(&mut doc, app::model::collections(kind))?;
    if let Some(seed) = seed {
        seed(&mut doc)?;
    }
    doc.commit();
    Ok(doc.save())
}

/// Registers a document and stores its first change; answers the registry row.
pub async fn create(
    db: &DatabaseConnection,
    territory: i32,
    kind: DocumentKind,
    title: &str,
    created_by: Option<i32>,
    seed: Option<Seed<'_>>,
) -> Result<document::Model, StoreError> {
    let id = new_document_id();
    let bytes = initial_document(kind, title, seed)
        .map_err(|e| StoreError::Transaction(format!("automerge: {e}")))?;
    let now = Utc::now();
    let title = title.to_owned();
    db.transaction::<_, document::Model, StoreError>(move |txn| {
        Box::pin(async move {
            let row = document::ActiveModel {
                id: Set(id.clone()),
                territory_id: Set(territory),
                kind: Set(kind.as_str().to_owned()),
                title: Set(title),
                created_by: Set(created_by),
                created_at: Set(now),
            }
            .insert(txn)
            .await?;
            document_chunk::ActiveModel {
                document_id: Set(id),
                kind: Set("snapshot".to_owned()),
                data: Set(bytes),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            Ok(row)
        })
    })
    .await
    .map_err(StoreError::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ReadDoc;

    #[test]
    fn ids_are_bs58check_of_16_bytes() {
        let id = new_document_id();
        assert!(is_document_id(&id), "{id}");
        assert!(!is_document_id("not-an-id"));
        // Known vector: the UUID 6ba7b810-9dad-41d1-80b4-00c04fd430c8.
        let bytes = uuid::Uuid::parse_str("6ba7b810-9dad-41d1-80b4-00c04fd430c8").unwrap();
        assert_eq!(
            bs58::encode(bytes.as_bytes()).with_check().into_string(),
            "2VzPLXwa4R41PB944FYJS46nvFdj"
        );
    }

    #[test]
    fn the_first_change_holds_kind_and_title() {
        let bytes =
            initial_document(DocumentKind::Diagnosis, "Diagnostic Oujda-Angad", None).unwrap();
        let doc = automerge::Automerge::load(&bytes).unwrap();
        let (_, title) = doc.get(ROOT, "title").unwrap().unwrap();
        assert_eq!(doc.text(&title).unwrap(), "Diagnostic Oujda-Angad");
        let (_, kind) = doc.get(ROOT, "kind").unwrap().unwrap();
        assert_eq!(doc.text(&kind).unwrap(), "diagnosis");
        assert_eq!(doc.get_changes(&[]).len(), 1);
    }
}
