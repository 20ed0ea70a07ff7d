//! Document schemas: plain Rust structs that the server and the browser share, and their mapping
//! to automerge documents.
//!
//! Every item of a document has a stable [`ItemId`] and lives in a map keyed by that id, so two
//! people adding items offline never collide, and an edit always names the item it changes.
//! Fields are automerge scalars: a field set concurrently by two people is a conflict that the
//! page shows (see [`diagnosis::doc`]), never a silent merge of two texts.

// Before the modules that use it: macro_rules are in scope textually.
/// Declares a closed vocabulary with its stable wire names (what the document stores).
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the document.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Parses a stored name; `None` for anything else.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

pub mod action_plan;
pub mod diagnosis;
mod ids;
pub mod record;

pub use ids::ItemId;

/// The collections a document kind's first change creates.
pub fn collections(kind: crate::accounts::DocumentKind) -> &'static [&'static str] {
    match kind {
        crate::accounts::DocumentKind::Diagnosis => diagnosis::doc::COLLECTIONS,
        crate::accounts::DocumentKind::ActionPlan => action_plan::doc::COLLECTIONS,
        crate::accounts::DocumentKind::Meeting => &[],
    }
}
