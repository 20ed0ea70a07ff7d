//! A territory's action plan: working groups, strategic orientations, actions with their
//! partners and links to the diagnosis issues they answer, and indicators with targets.
//!
//! - [`types`]: the plain structs and the computations on them (weighted progress, lateness).
//! - [`doc`]: their automerge mapping (same rules as the diagnosis: one map per item).

pub mod demo;
pub mod doc;
pub mod types;

pub use types::*;
