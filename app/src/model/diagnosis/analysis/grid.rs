//! The power–interest grid (Mendelow's matrix): where each actor sits, hence how to involve them.

use crate::model::ItemId;
use crate::model::diagnosis::Diagnosis;
use std::collections::BTreeMap;

/// A quadrant of the power–interest grid.
///
/// An actor's influence (power) and interest are scored 1–5. The classic split is at the
/// middle of the scale, and the middle itself counts as low: a score is *high* when it is
/// strictly above [`GridQuadrant::MIDPOINT`] (4 or 5), *low* otherwise (1, 2 or 3). Leaving 3
/// in the low half keeps "manage closely" for the actors someone judged clearly powerful and
/// clearly concerned, which is the short list the grid is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GridQuadrant {
    /// High influence, high interest: key players, involve them fully.
    ManageClosely,
    /// High influence, low interest: keep them satisfied, do not overload them.
    KeepSatisfied,
    /// Low influence, high interest: keep them informed, they are often allies.
    KeepInformed,
    /// Low influence, low interest: watch, with little effort.
    Monitor,
}

impl GridQuadrant {
    pub const ALL: &'static [GridQuadrant] = &[
        GridQuadrant::ManageClosely,
        GridQuadrant::KeepSatisfied,
        GridQuadrant::KeepInformed,
        GridQuadrant::Monitor,
    ];

    /// Scores strictly above this are high.
    pub const MIDPOINT: u8 = 3;

    /// The quadrant of an actor with this influence and interest (1–5 each).
    pub fn of(influence: u8, interest: u8) -> Self {
        match (influence > Self::MIDPOINT, interest > Self::MIDPOINT) {
            (true, true) => GridQuadrant::ManageClosely,
            (true, false) => GridQuadrant::KeepSatisfied,
            (false, true) => GridQuadrant::KeepInformed,
            (false, false) => GridQuadrant::Monitor,
        }
    }

    /// A stable name, for translation keys and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            GridQuadrant::ManageClosely => "manage_closely",
            GridQuadrant::KeepSatisfied => "keep_satisfied",
            GridQuadrant::KeepInformed => "keep_informed",
            GridQuadrant::Monitor => "monitor",
        }
    }
}

/// Each live actor's quadrant, by actor id.
pub fn power_interest_grid(diagnosis: &Diagnosis) -> BTreeMap<ItemId, GridQuadrant> {
    diagnosis
        .live_actors()
        .map(|(id, actor)| {
            (
                id.clone(),
                GridQuadrant::of(actor.influence, actor.interest),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnosis::Actor;

    #[test]
    fn the_middle_of_the_scale_is_low() {
        assert_eq!(GridQuadrant::of(4, 4), GridQuadrant::ManageClosely);
        assert_eq!(GridQuadrant::of(5, 3), GridQuadrant::KeepSatisfied);
        assert_eq!(GridQuadrant::of(3, 5), GridQuadrant::KeepInformed);
        assert_eq!(GridQuadrant::of(3, 3), GridQuadrant::Monitor);
        assert_eq!(GridQuadrant::of(1, 1), GridQuadrant::Monitor);
    }

    #[test]
    fn only_live_actors_are_placed() {
        let mut d = Diagnosis::default();
        let actor = |influence, interest, deleted| Actor {
            influence,
            interest,
            deleted,
            ..Actor::default()
        };
        d.actors.insert("a".into(), actor(5, 5, false));
        d.actors.insert("b".into(), actor(2, 4, false));
        d.actors.insert("gone".into(), actor(5, 5, true));
        let grid = power_interest_grid(&d);
        assert_eq!(grid.len(), 2);
        assert_eq!(grid[&ItemId::from("a")], GridQuadrant::ManageClosely);
        assert_eq!(grid[&ItemId::from("b")], GridQuadrant::KeepInformed);
    }
}
