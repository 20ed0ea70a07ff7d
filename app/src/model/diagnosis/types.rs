//! The diagnosis as plain data. Items live in maps keyed by their [`ItemId`]; a deleted item is
//! kept with `deleted = true` so that an edit made concurrently elsewhere is never lost.

use crate::model::ItemId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

vocabulary!(
    /// The five families of actors of Territorial Coaching.
    ActorCategory {
        CivilSociety => "civil_society",
        ElectedOfficial => "elected_official",
        Administration => "administration",
        EconomicPlayer => "economic_player",
        Other => "other",
    }
);

vocabulary!(
    /// Where an actor acts.
    Level { Commune => "commune", Province => "province", Region => "region", National => "national" }
);

vocabulary!(
    /// What a tie between two actors is.
    TieKind {
        Alliance => "alliance",
        Conflict => "conflict",
        Influence => "influence",
        Dependency => "dependency",
        Information => "information",
        Funding => "funding",
    }
);

vocabulary!(
    /// An issue's place in the problem tree.
    IssueRole { Core => "core", Cause => "cause", Effect => "effect" }
);

vocabulary!(
    ResourceKind {
        Natural => "natural",
        Human => "human",
        Financial => "financial",
        Infrastructure => "infrastructure",
        Cultural => "cultural",
    }
);

vocabulary!(
    SwotQuadrant { Strength => "strength", Weakness => "weakness", Opportunity => "opportunity", Threat => "threat" }
);

impl TieKind {
    /// Whether the tie is adversarial (drawn dashed red, and read as "in conflict").
    pub fn is_negative(self) -> bool {
        matches!(self, TieKind::Conflict)
    }
}

/// A person or organisation that matters in the territory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    pub category: ActorCategory,
    pub organisation: String,
    pub level: Level,
    /// 1–5.
    pub influence: u8,
    /// 1–5.
    pub interest: u8,
    pub notes: String,
    pub location: String,
    /// Where someone placed the node by hand; `None` leaves it to the force layout.
    pub pinned: Option<(f64, f64)>,
    pub deleted: bool,
}

impl Default for Actor {
    fn default() -> Self {
        Actor {
            name: String::new(),
            category: ActorCategory::Other,
            organisation: String::new(),
            level: Level::Commune,
            influence: 3,
            interest: 3,
            notes: String::new(),
            location: String::new(),
            pinned: None,
            deleted: false,
        }
    }
}

/// A relation between two actors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tie {
    pub from: ItemId,
    pub to: ItemId,
    pub kind: TieKind,
    pub directed: bool,
    /// 1–5.
    pub strength: u8,
    /// Free text: a year or a date ("2019", "2023-05").
    pub since: String,
    /// The name of whoever recorded the tie.
    pub recorded_by: String,
    pub deleted: bool,
}

/// A node of the problem tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub statement: String,
    pub role: IssueRole,
    /// Causes and effects hang from another issue (usually the core problem).
    pub parent: Option<ItemId>,
    pub evidence: String,
    pub deleted: bool,
}

/// An actor's stance on an issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub actor: ItemId,
    pub issue: ItemId,
    /// −2 (strongly against) … +2 (strongly for).
    pub stance: i8,
    pub rationale: String,
    /// ISO date, e.g. "2026-10-14".
    pub date: String,
    /// Where the stance was heard: a meeting, an interview…
    pub source: String,
    pub deleted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub name: String,
    pub kind: ResourceKind,
    pub notes: String,
    pub deleted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SwotItem {
    pub quadrant: SwotQuadrant,
    pub text: String,
    pub issue: Option<ItemId>,
    pub resource: Option<ItemId>,
    pub deleted: bool,
}

/// A whole diagnosis, as read from its document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub title: String,
    pub actors: BTreeMap<ItemId, Actor>,
    pub ties: BTreeMap<ItemId, Tie>,
    pub issues: BTreeMap<ItemId, Issue>,
    pub positions: BTreeMap<ItemId, Position>,
    pub resources: BTreeMap<ItemId, Resource>,
    pub swot: BTreeMap<ItemId, SwotItem>,
}

impl Diagnosis {
    /// Actors not deleted.
    pub fn live_actors(&self) -> impl Iterator<Item = (&ItemId, &Actor)> {
        self.actors.iter().filter(|(_, a)| !a.deleted)
    }

    /// Ties not deleted whose two ends are live actors.
    pub fn live_ties(&self) -> impl Iterator<Item = (&ItemId, &Tie)> {
        self.ties
            .iter()
            .filter(|(_, t)| !t.deleted && self.is_live_actor(&t.from) && self.is_live_actor(&t.to))
    }

    pub fn live_issues(&self) -> impl Iterator<Item = (&ItemId, &Issue)> {
        self.issues.iter().filter(|(_, i)| !i.deleted)
    }

    /// Positions not deleted whose actor and issue are live.
    pub fn live_positions(&self) -> impl Iterator<Item = (&ItemId, &Position)> {
        self.positions.iter().filter(|(_, p)| {
            !p.deleted
                && self.is_live_actor(&p.actor)
                && self.issues.get(&p.issue).is_some_and(|i| !i.deleted)
        })
    }

    pub fn live_resources(&self) -> impl Iterator<Item = (&ItemId, &Resource)> {
        self.resources.iter().filter(|(_, r)| !r.deleted)
    }

    pub fn live_swot(&self) -> impl Iterator<Item = (&ItemId, &SwotItem)> {
        self.swot.iter().filter(|(_, s)| !s.deleted)
    }

    pub fn is_live_actor(&self, id: &ItemId) -> bool {
        self.actors.get(id).is_some_and(|a| !a.deleted)
    }
}
