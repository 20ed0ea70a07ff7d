//! The shared diagnosis of a territory: the sociogram (actors and ties), the problem tree
//! (issues), each actor's position on each issue, resources and the SWOT board.
//!
//! - [`types`]: the plain structs, shared by the server, the browser and the analysis code.
//! - [`doc`]: reading them from an automerge document and writing edits back, with conflicts.
//! - [`analysis`]: centralities, brokers, the power–interest grid, divergence and convergence.
//! - [`layout`]: the deterministic force layout of the sociogram.
//! - [`demo`]: a realistic diagnosis of a commune of the Oriental, for the demo.

pub mod analysis;
pub mod demo;
pub mod doc;
pub mod layout;
pub mod types;

pub use types::*;
