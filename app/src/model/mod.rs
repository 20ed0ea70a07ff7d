//! Document schemas: plain Rust structs that the server and the browser share, and their mapping
//! to automerge documents.
//!
//! Every item of a document has a stable [`ItemId`] and lives in a map keyed by that id, so two
//! people adding items offline never collide, and an edit always names the item it changes.
//! Fields are automerge scalars: a field set concurrently by two people is a conflict that the
//! page shows (see [`diagnosis::doc`]), never a silent merge of two texts.

pub mod diagnosis;
mod ids;
pub mod record;

pub use ids::ItemId;

/// The collections a document kind's first change creates.
pub fn collections(kind: crate::accounts::DocumentKind) -> &'static [&'static str] {
    match kind {
        crate::accounts::DocumentKind::Diagnosis => diagnosis::doc::COLLECTIONS,
        _ => &[],
    }
}
