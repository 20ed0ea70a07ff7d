//! The action plan as plain data. Lists (members, partners, issue links, targets) are items of
//! their own collections pointing at their owner, so two people adding to one list offline never
//! collide.

use crate::model::ItemId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

vocabulary!(
    /// Where an action stands.
    ActionStatus {
        Planned => "planned",
        InProgress => "in_progress",
        Done => "done",
        Blocked => "blocked",
        Dropped => "dropped",
    }
);

/// A working group: a theme, its coach, member actors from the territory's sociogram.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkingGroup {
    pub theme: String,
    pub coach: String,
    pub deleted: bool,
}

/// An actor (of the diagnosis) in a working group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupMember {
    pub group: ItemId,
    pub actor: ItemId,
    pub deleted: bool,
}

/// A strategic orientation, carried by a working group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Orientation {
    pub title: String,
    pub group: Option<ItemId>,
    pub deleted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub orientation: Option<ItemId>,
    pub title: String,
    /// The lead actor (of the diagnosis).
    pub lead: Option<ItemId>,
    /// ISO dates ("2026-03-01"); empty when not set.
    pub start: String,
    pub due: String,
    /// Planned budget, in Moroccan dirhams.
    pub budget: f64,
    /// Budget committed so far (MAD).
    pub committed: f64,
    pub status: ActionStatus,
    /// 0–100.
    pub progress: u8,
    /// Weight within its orientation (relative; 1 by default).
    pub weight: f64,
    pub risks: String,
    pub assumptions: String,
    pub deleted: bool,
}

impl Default for Action {
    fn default() -> Self {
        Action {
            orientation: None,
            title: String::new(),
            lead: None,
            start: String::new(),
            due: String::new(),
            budget: 0.0,
            committed: 0.0,
            status: ActionStatus::Planned,
            progress: 0,
            weight: 1.0,
            risks: String::new(),
            assumptions: String::new(),
            deleted: false,
        }
    }
}

impl Action {
    /// Late: due before `today` (ISO date) and neither done nor dropped.
    pub fn is_late(&self, today: &str) -> bool {
        !self.due.is_empty()
            && self.due.as_str() < today
            && !matches!(self.status, ActionStatus::Done | ActionStatus::Dropped)
    }

    /// Progress as counted: a done action is 100 % whatever its field says.
    pub fn effective_progress(&self) -> f64 {
        match self.status {
            ActionStatus::Done => 100.0,
            _ => f64::from(self.progress.min(100)),
        }
    }
}

/// A partner of an action: an actor, their role and what they bring.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    pub action: ItemId,
    pub actor: ItemId,
    pub role: String,
    pub contribution: String,
    pub deleted: bool,
}

/// An action answers an issue of the diagnosis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueLink {
    pub action: ItemId,
    pub issue: ItemId,
    pub deleted: bool,
}

/// What is measured, for an action or an orientation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub action: Option<ItemId>,
    pub orientation: Option<ItemId>,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub baseline_date: String,
    /// The latest measurement, if any.
    pub current: Option<f64>,
    pub current_date: String,
    /// Means of verification.
    pub verification: String,
    pub deleted: bool,
}

/// A target of an indicator for a period ("2026", "2026-S2", "2027-T1").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub indicator: ItemId,
    pub period: String,
    pub value: f64,
    pub deleted: bool,
}

/// A whole action plan, as read from its document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub title: String,
    /// The document id of the territory's diagnosis (actors and issues are its items).
    pub diagnosis: String,
    pub groups: BTreeMap<ItemId, WorkingGroup>,
    pub members: BTreeMap<ItemId, GroupMember>,
    pub orientations: BTreeMap<ItemId, Orientation>,
    pub actions: BTreeMap<ItemId, Action>,
    pub partners: BTreeMap<ItemId, Partner>,
    pub links: BTreeMap<ItemId, IssueLink>,
    pub indicators: BTreeMap<ItemId, Indicator>,
    pub targets: BTreeMap<ItemId, Target>,
}

impl ActionPlan {
    pub fn live_actions(&self) -> impl Iterator<Item = (&ItemId, &Action)> {
        self.actions.iter().filter(|(_, a)| !a.deleted)
    }

    pub fn live_orientations(&self) -> impl Iterator<Item = (&ItemId, &Orientation)> {
        self.orientations.iter().filter(|(_, o)| !o.deleted)
    }

    pub fn live_indicators(&self) -> impl Iterator<Item = (&ItemId, &Indicator)> {
        self.indicators.iter().filter(|(_, i)| !i.deleted)
    }

    /// The live actions of an orientation.
    pub fn actions_of<'a>(
        &'a self,
        orientation: &'a ItemId,
    ) -> impl Iterator<Item = (&'a ItemId, &'a Action)> {
        self.live_actions()
            .filter(move |(_, a)| a.orientation.as_ref() == Some(orientation))
    }

    /// An orientation's progress (0–100): its actions' progress weighted by their weights;
    /// dropped actions do not count, a weight ≤ 0 counts as nothing. `None` without actions
    /// that count.
    pub fn orientation_progress(&self, orientation: &ItemId) -> Option<f64> {
        let (mut sum, mut weights) = (0.0, 0.0);
        for (_, a) in self.actions_of(orientation) {
            if a.status == ActionStatus::Dropped
                || a.weight.is_nan()
                || a.weight <= 0.0
                || !a.weight.is_finite()
            {
                continue;
            }
            sum += a.weight * a.effective_progress();
            weights += a.weight;
        }
        (weights > 0.0).then(|| sum / weights)
    }

    /// The target of an indicator for the latest period (periods sort as text).
    pub fn latest_target(&self, indicator: &ItemId) -> Option<&Target> {
        self.targets
            .values()
            .filter(|t| !t.deleted && t.indicator == *indicator)
            .max_by(|a, b| a.period.cmp(&b.period))
    }

    /// How far an indicator has gone from its baseline towards its latest target (0–100, may
    /// exceed 100); `None` without baseline, measurement or target, or when they coincide.
    pub fn indicator_progress(&self, id: &ItemId) -> Option<f64> {
        let i = self.indicators.get(id)?;
        let (base, current) = (i.baseline?, i.current?);
        let target = self.latest_target(id)?.value;
        let span = target - base;
        (span.abs() > f64::EPSILON).then(|| (current - base) / span * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(orientation: &str, progress: u8, weight: f64, status: ActionStatus) -> Action {
        Action {
            orientation: Some(orientation.into()),
            progress,
            weight,
            status,
            ..Action::default()
        }
    }

    #[test]
    fn orientation_progress_is_weighted() {
        let mut plan = ActionPlan::default();
        plan.actions
            .insert("a".into(), action("o", 50, 3.0, ActionStatus::InProgress));
        plan.actions
            .insert("b".into(), action("o", 10, 1.0, ActionStatus::Done));
        plan.actions
            .insert("c".into(), action("o", 90, 5.0, ActionStatus::Dropped));
        plan.actions
            .insert("d".into(), action("other", 0, 1.0, ActionStatus::Planned));
        let mut gone = action("o", 0, 10.0, ActionStatus::Planned);
        gone.deleted = true;
        plan.actions.insert("e".into(), gone);
        // (3 × 50 + 1 × 100) / (3 + 1) = 62.5: done counts as 100, dropped and deleted not at all.
        assert_eq!(plan.orientation_progress(&"o".into()), Some(62.5));
        assert_eq!(plan.orientation_progress(&"other".into()), Some(0.0));
        assert_eq!(plan.orientation_progress(&"none".into()), None);
    }

    #[test]
    fn lateness_and_indicator_progress() {
        let mut a = action("o", 20, 1.0, ActionStatus::InProgress);
        a.due = "2026-06-30".into();
        assert!(a.is_late("2026-11-29"));
        assert!(!a.is_late("2026-06-30"));
        a.status = ActionStatus::Done;
        assert!(!a.is_late("2026-11-29"));

        let mut plan = ActionPlan::default();
        plan.indicators.insert(
            "i".into(),
            Indicator {
                baseline: Some(20.0),
                current: Some(35.0),
                ..Indicator::default()
            },
        );
        for (id, period, value) in [("t1", "2026", 30.0), ("t2", "2027", 50.0)] {
            plan.targets.insert(
                id.into(),
                Target {
                    indicator: "i".into(),
                    period: period.into(),
                    value,
                    deleted: false,
                },
            );
        }
        // From 20 towards the 2027 target of 50: 15 of 30 = 50 %.
        assert_eq!(plan.indicator_progress(&"i".into()), Some(50.0));
    }
}
