//! Divergence and convergence: how far apart actors stand on each issue, and the pairs whose
//! stances cut across their ties.
//!
//! **Current stance.** An actor may have several live positions on one issue (heard at
//! different meetings). Only the latest counts: the one with the greatest `date` (ISO dates
//! compare as text; an empty date is the oldest), equal dates broken by the greater position
//! id so that every peer picks the same one. A stance outside −2…+2 (a hand-edited document)
//! is clamped into it.
//!
//! **Pairs.** Two actors are *allies* when at least one live alliance tie joins them, in
//! either direction, and *in conflict* when at least one live conflict tie does; a pair can be
//! both. Each pair is listed once per issue, whatever the number of ties, as `a < b` by id.
//! - *Allies who disagree*: allies whose current stances on the same issue are
//!   [`StancePair::DISAGREEMENT_GAP`] or more apart (+2 and 0, +1 and −1…): an alliance that
//!   may not hold on that issue.
//! - *In conflict but agree*: actors in conflict whose current stances on the same issue have
//!   the same sign, neither neutral, and are at most [`StancePair::AGREEMENT_GAP`] apart
//!   (+1 and +2, −2 and −2…): common ground, a bridging opportunity. Two neutral stances are
//!   not counted: indifference is no common ground.

use crate::model::ItemId;
use crate::model::diagnosis::{ActorCategory, Diagnosis, TieKind};
use std::collections::BTreeMap;

/// Summary of a set of stances (each −2…+2).
#[derive(Clone, Debug, PartialEq)]
pub struct StanceStats {
    pub count: usize,
    pub mean: f64,
    /// Population standard deviation: 0 when everyone agrees, at most 2 (half at −2, half
    /// at +2).
    pub std_dev: f64,
    pub min: i8,
    pub max: i8,
}

impl StanceStats {
    /// `None` when there is no stance.
    pub fn of(stances: &[i8]) -> Option<StanceStats> {
        let (&first, _) = stances.split_first()?;
        let n = stances.len() as f64;
        let mean = stances.iter().map(|&s| f64::from(s)).sum::<f64>() / n;
        let variance = stances
            .iter()
            .map(|&s| (f64::from(s) - mean) * (f64::from(s) - mean))
            .sum::<f64>()
            / n;
        Some(StanceStats {
            count: stances.len(),
            mean,
            std_dev: variance.sqrt(),
            min: stances.iter().copied().fold(first, i8::min),
            max: stances.iter().copied().fold(first, i8::max),
        })
    }
}

/// The stances taken on one issue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IssueStances {
    /// All current stances; `None` when no live actor has taken one.
    pub overall: Option<StanceStats>,
    /// The same, per family of actors that took a stance (absent families have no entry).
    pub by_category: BTreeMap<ActorCategory, StanceStats>,
}

/// Two actors and their current stances on one issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StancePair {
    pub issue: ItemId,
    /// The lower of the two ids.
    pub a: ItemId,
    pub a_stance: i8,
    pub b: ItemId,
    pub b_stance: i8,
    /// `|a_stance − b_stance|`.
    pub gap: u8,
}

impl StancePair {
    /// Allies this far apart or more disagree.
    pub const DISAGREEMENT_GAP: u8 = 2;
    /// Adversaries on the same side and at most this far apart agree.
    pub const AGREEMENT_GAP: u8 = 1;

    fn new(issue: &ItemId, (a, a_stance): (&ItemId, i8), (b, b_stance): (&ItemId, i8)) -> Self {
        StancePair {
            issue: issue.clone(),
            a: a.clone(),
            a_stance,
            b: b.clone(),
            b_stance,
            gap: (a_stance - b_stance).unsigned_abs(),
        }
    }
}

/// Divergence and convergence over the whole diagnosis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Divergence {
    /// Every live issue, by id, even those nobody took a stance on.
    pub per_issue: BTreeMap<ItemId, IssueStances>,
    /// Sorted by issue, then widest gap first, then by the pair's ids.
    pub allies_who_disagree: Vec<StancePair>,
    /// Sorted by issue, then narrowest gap first, then by the pair's ids.
    pub conflicts_that_agree: Vec<StancePair>,
}

impl Divergence {
    pub fn compute(diagnosis: &Diagnosis) -> Divergence {
        let table = StanceTable::new(diagnosis);

        let mut per_issue = BTreeMap::new();
        for (i, issue) in table.issues.iter().enumerate() {
            let row = table.row(i);
            let all: Vec<i8> = row.iter().flatten().copied().collect();
            let mut by_category: BTreeMap<ActorCategory, Vec<i8>> = BTreeMap::new();
            for (stance, category) in row.iter().zip(&table.categories) {
                if let Some(stance) = stance {
                    by_category.entry(*category).or_default().push(*stance);
                }
            }
            let summary = IssueStances {
                overall: StanceStats::of(&all),
                by_category: by_category
                    .into_iter()
                    .filter_map(|(category, s)| Some((category, StanceStats::of(&s)?)))
                    .collect(),
            };
            per_issue.insert((*issue).clone(), summary);
        }

        let (allies, adversaries) = alliances_and_conflicts(diagnosis, &table.actors);
        let mut allies_who_disagree = Vec::new();
        let mut conflicts_that_agree = Vec::new();
        for (i, issue) in table.issues.iter().enumerate() {
            let row = table.row(i);
            let with_stances = |&(a, b): &(usize, usize)| {
                Some(((table.actors[a], row[a]?), (table.actors[b], row[b]?)))
            };
            // Issues come in id order, and pairs in id order within an issue: a stable sort on
            // the gap of this issue's pairs gives the documented order.
            let first = allies_who_disagree.len();
            for (a, b) in allies.iter().filter_map(with_stances) {
                if (a.1 - b.1).unsigned_abs() >= StancePair::DISAGREEMENT_GAP {
                    allies_who_disagree.push(StancePair::new(issue, a, b));
                }
            }
            allies_who_disagree[first..].sort_by_key(|p| std::cmp::Reverse(p.gap));
            let first = conflicts_that_agree.len();
            for (a, b) in adversaries.iter().filter_map(with_stances) {
                let same_side = a.1.signum() == b.1.signum() && a.1 != 0;
                if same_side && (a.1 - b.1).unsigned_abs() <= StancePair::AGREEMENT_GAP {
                    conflicts_that_agree.push(StancePair::new(issue, a, b));
                }
            }
            conflicts_that_agree[first..].sort_by_key(|p| p.gap);
        }

        Divergence {
            per_issue,
            allies_who_disagree,
            conflicts_that_agree,
        }
    }
}

/// Each live actor's current stance on each live issue, as a dense table: comparing indices
/// instead of ids keeps 20 issues × 500 actors within a couple of milliseconds.
struct StanceTable<'a> {
    /// Live actors, sorted by id.
    actors: Vec<&'a ItemId>,
    categories: Vec<ActorCategory>,
    /// Live issues, sorted by id.
    issues: Vec<&'a ItemId>,
    /// Row `i` holds the stances on `issues[i]`, column `a` those of `actors[a]`.
    stances: Vec<Option<i8>>,
}

impl<'a> StanceTable<'a> {
    fn new(diagnosis: &'a Diagnosis) -> Self {
        let (actors, categories): (Vec<&ItemId>, Vec<ActorCategory>) = diagnosis
            .live_actors()
            .map(|(id, actor)| (id, actor.category))
            .unzip();
        let issues: Vec<&ItemId> = diagnosis.live_issues().map(|(id, _)| id).collect();
        let mut latest: Vec<Option<(&str, &ItemId, i8)>> = vec![None; issues.len() * actors.len()];
        // Finding both ends among the live ids is what `live_positions` checks, done once.
        for (id, p) in &diagnosis.positions {
            if p.deleted {
                continue;
            }
            let (Ok(a), Ok(i)) = (
                actors.binary_search(&&p.actor),
                issues.binary_search(&&p.issue),
            ) else {
                continue;
            };
            let candidate = (p.date.as_str(), id, p.stance.clamp(-2, 2));
            let slot = &mut latest[i * actors.len() + a];
            if slot.is_none_or(|(date, by, _)| (candidate.0, candidate.1) > (date, by)) {
                *slot = Some(candidate);
            }
        }
        StanceTable {
            actors,
            categories,
            issues,
            stances: latest
                .into_iter()
                .map(|s| s.map(|(_, _, stance)| stance))
                .collect(),
        }
    }

    fn row(&self, issue: usize) -> &[Option<i8>] {
        let n = self.actors.len();
        &self.stances[issue * n..(issue + 1) * n]
    }
}

/// The pairs of actors (indices into `actors`, lower first, sorted, each once) joined by at
/// least one live alliance tie, and those joined by at least one live conflict tie.
type Pairs = Vec<(usize, usize)>;
fn alliances_and_conflicts(diagnosis: &Diagnosis, actors: &[&ItemId]) -> (Pairs, Pairs) {
    let mut allies = Vec::new();
    let mut adversaries = Vec::new();
    for tie in diagnosis.ties.values() {
        let pairs = match tie.kind {
            TieKind::Alliance => &mut allies,
            TieKind::Conflict => &mut adversaries,
            _ => continue,
        };
        if tie.deleted {
            continue;
        }
        // Both ends among the live actors: what `live_ties` checks.
        let (Ok(a), Ok(b)) = (
            actors.binary_search(&&tie.from),
            actors.binary_search(&&tie.to),
        ) else {
            continue;
        };
        if a != b {
            pairs.push((a.min(b), a.max(b)));
        }
    }
    for pairs in [&mut allies, &mut adversaries] {
        pairs.sort_unstable();
        pairs.dedup();
    }
    (allies, adversaries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnosis::{Actor, Issue, IssueRole, Position, Tie};

    fn actor(category: ActorCategory) -> Actor {
        Actor {
            category,
            ..Actor::default()
        }
    }

    fn issue() -> Issue {
        Issue {
            statement: String::new(),
            role: IssueRole::Core,
            parent: None,
            evidence: String::new(),
            deleted: false,
        }
    }

    fn tie(from: &str, to: &str, kind: TieKind) -> Tie {
        Tie {
            from: from.into(),
            to: to.into(),
            kind,
            directed: false,
            strength: 3,
            since: String::new(),
            recorded_by: String::new(),
            deleted: false,
        }
    }

    fn position(actor: &str, issue: &str, stance: i8, date: &str) -> Position {
        Position {
            actor: actor.into(),
            issue: issue.into(),
            stance,
            rationale: String::new(),
            date: date.into(),
            source: String::new(),
            deleted: false,
        }
    }

    fn pair(issue: &str, a: &str, a_stance: i8, b: &str, b_stance: i8) -> StancePair {
        StancePair {
            issue: issue.into(),
            a: a.into(),
            a_stance,
            b: b.into(),
            b_stance,
            gap: (a_stance - b_stance).unsigned_abs(),
        }
    }

    /// Six actors, four issues (i3 deleted, i4 with no stance), and these ties:
    /// alliances a–b, a–c (twice), f–a; conflicts c–d, b–d, d–e; information a–e.
    fn crafted() -> Diagnosis {
        use ActorCategory::*;
        let mut d = Diagnosis::default();
        for (id, category) in [
            ("a", CivilSociety),
            ("b", CivilSociety),
            ("c", ElectedOfficial),
            ("d", Administration),
            ("e", EconomicPlayer),
            ("f", Other),
            ("gone", Other),
        ] {
            d.actors.insert(id.into(), actor(category));
        }
        d.actors
            .entry("gone".into())
            .and_modify(|a| a.deleted = true);
        for id in ["i1", "i2", "i3", "i4"] {
            d.issues.insert(id.into(), issue());
        }
        d.issues.entry("i3".into()).and_modify(|i| i.deleted = true);
        let ties = [
            ("a", "b", TieKind::Alliance),
            ("a", "c", TieKind::Alliance),
            ("c", "a", TieKind::Alliance),
            ("f", "a", TieKind::Alliance),
            ("c", "d", TieKind::Conflict),
            ("b", "d", TieKind::Conflict),
            ("e", "d", TieKind::Conflict),
            ("a", "e", TieKind::Information),
            ("a", "gone", TieKind::Alliance),
        ];
        for (i, (from, to, kind)) in ties.into_iter().enumerate() {
            d.ties
                .insert(format!("t{i}").as_str().into(), tie(from, to, kind));
        }
        let positions = [
            // i1: a +2, b −1, c +1, d +2, e 0, f 0.
            ("p10", "a", "i1", 2, "2026-03-01"),
            ("p11", "b", "i1", -1, "2026-03-01"),
            ("p12", "c", "i1", 1, "2026-03-01"),
            ("p13", "d", "i1", 2, "2026-03-01"),
            ("p14", "e", "i1", 0, "2026-03-01"),
            ("p15", "f", "i1", 0, "2026-03-01"),
            // i2: a −1, b −2, c +1, d −2, and e changed its mind from −1 to +2: the later
            // stance counts even though its position id sorts first.
            ("p20", "a", "i2", -1, "2026-03-01"),
            ("p21", "b", "i2", -2, "2026-03-01"),
            ("p22", "c", "i2", 1, "2026-03-01"),
            ("p23", "d", "i2", -2, "2026-03-01"),
            ("p00", "e", "i2", 2, "2026-05-01"),
            ("p99", "e", "i2", -1, "2026-01-01"),
            // Ignored: a deleted issue, a deleted actor, a deleted position.
            ("p30", "a", "i3", -2, "2026-03-01"),
            ("p31", "gone", "i1", -2, "2026-03-01"),
            ("p32", "f", "i2", 2, "2026-03-01"),
        ];
        for (id, actor, issue, stance, date) in positions {
            d.positions
                .insert(id.into(), position(actor, issue, stance, date));
        }
        d.positions
            .entry("p32".into())
            .and_modify(|p| p.deleted = true);
        d
    }

    #[test]
    fn allies_who_disagree_and_adversaries_who_agree() {
        let v = Divergence::compute(&crafted());
        assert_eq!(
            v.allies_who_disagree,
            vec![
                // i1: a +2 vs b −1 (gap 3) before a +2 vs f 0 (gap 2); a–c are 1 apart.
                pair("i1", "a", 2, "b", -1),
                pair("i1", "a", 2, "f", 0),
                // i2: a −1 vs c +1, listed once although two ties join them; a–b 1 apart.
                pair("i2", "a", -1, "c", 1),
            ]
        );
        assert_eq!(
            v.conflicts_that_agree,
            vec![
                // i1: c +1, d +2 on the same side. b −1/d +2 and d +2/e 0 are not.
                pair("i1", "c", 1, "d", 2),
                // i2: b and d both −2. d −2/e +2 (e's later stance) is not.
                pair("i2", "b", -2, "d", -2),
            ]
        );
    }

    #[test]
    fn stance_statistics_per_issue_and_category() {
        let v = Divergence::compute(&crafted());
        assert_eq!(
            v.per_issue.keys().map(ItemId::as_str).collect::<Vec<_>>(),
            ["i1", "i2", "i4"]
        );
        let i1 = &v.per_issue[&ItemId::from("i1")];
        let all = i1.overall.as_ref().expect("stances on i1");
        // 2, −1, 1, 2, 0, 0: mean 4/6 = 2/3; squared deviations 16/9, 25/9, 1/9, 16/9, 4/9,
        // 4/9 sum to 66/9, over 6: variance 11/9, σ = √11 / 3.
        assert_eq!((all.count, all.min, all.max), (6, -1, 2));
        assert!((all.mean - 2.0 / 3.0).abs() < 1e-12);
        assert!((all.std_dev - 11f64.sqrt() / 3.0).abs() < 1e-12);
        // Civil society: a +2 and b −1: mean 1/2, deviations ±3/2, σ = 3/2.
        let civil = &i1.by_category[&ActorCategory::CivilSociety];
        assert_eq!(
            (civil.count, civil.mean, civil.std_dev, civil.min, civil.max),
            (2, 0.5, 1.5, -1, 2)
        );
        let elected = &i1.by_category[&ActorCategory::ElectedOfficial];
        assert_eq!(
            (elected.count, elected.mean, elected.std_dev),
            (1, 1.0, 0.0)
        );
        assert_eq!(i1.by_category.len(), 5);

        // i2: −1, −2, 1, −2 and e's latest +2: mean −2/5; f's stance was deleted.
        let i2 = v.per_issue[&ItemId::from("i2")]
            .overall
            .as_ref()
            .expect("stances on i2");
        assert_eq!((i2.count, i2.min, i2.max), (5, -2, 2));
        assert!((i2.mean + 0.4).abs() < 1e-12);
        assert!(
            !v.per_issue[&ItemId::from("i2")]
                .by_category
                .contains_key(&ActorCategory::Other)
        );

        assert_eq!(v.per_issue[&ItemId::from("i4")], IssueStances::default());
    }

    #[test]
    fn out_of_range_stances_are_clamped_and_empty_input_gives_nothing() {
        let mut d = crafted();
        d.positions.entry("p10".into()).and_modify(|p| p.stance = 9);
        let v = Divergence::compute(&d);
        let i1 = v.per_issue[&ItemId::from("i1")].overall.clone();
        assert_eq!(i1.map(|s| s.max), Some(2));
        assert_eq!(
            Divergence::compute(&Diagnosis::default()),
            Divergence::default()
        );
    }
}
