//! What the diagnosis says once read as a whole: who holds the network together, whom to
//! involve how, and where actors agree or disagree.
//!
//! - [`network`]: centralities of the sociogram, brokers and isolated actors ([`Metrics`]),
//!   computed by the private `centrality` module (Brandes' betweenness and closeness in one
//!   breadth-first search per actor).
//! - [`grid`]: the power–interest grid ([`GridQuadrant`], [`power_interest_grid`]).
//! - [`stances`]: divergence and convergence per issue ([`Divergence`]), with the allies who
//!   disagree and the adversaries who agree.
//!
//! Everything here is a pure function of a [`Diagnosis`](super::Diagnosis): no IO, no clock, no
//! randomness, no threads (it runs in the browser too), and only live items count (deleted
//! actors, ties, issues and positions, and ties or positions hanging from a deleted item, are
//! ignored). Results are ordered deterministically, so two peers looking at the same document
//! see the same lists.

mod centrality;
pub mod grid;
pub mod network;
pub mod stances;

pub use grid::{GridQuadrant, power_interest_grid};
pub use network::{ActorMetrics, Metrics};
pub use stances::{Divergence, IssueStances, StancePair, StanceStats};
