//! Centralities of the sociogram, with the brokers and isolated actors they reveal.
//!
//! The sociogram is read as a **simple undirected graph**: one node per live actor, one edge
//! per pair of live actors joined by at least one live tie, whatever its kind or direction.
//! - Undirected, because what centrality answers here is "who can carry word between whom":
//!   an alliance, a conflict, a funding or an information tie all make two actors reachable
//!   from each other, and the direction of an influence tie mostly records who noted it from
//!   which side. A directed reading would also make most actors unreachable from most others
//!   in a sparse, partly recorded sociogram, and the figures meaningless.
//! - Simple, because two ties between the same pair (an alliance and a funding tie, or one
//!   recorded by two people) do not make two shortest paths; and a tie from an actor to itself
//!   connects nobody, so it is left out.
//!
//! The centralities are those of networkx (so that a figure can be checked there), computed
//! in `analysis::centrality` (one breadth-first search per actor, `O(n·m)`): sequentially, in
//! id order, so every figure is identical from one run, and one machine, to the next.

use super::centrality::Centralities;
use crate::model::ItemId;
use crate::model::diagnosis::Diagnosis;
use std::collections::BTreeMap;

/// The sociogram as a simple undirected graph over indices: the live actors sorted by id, and
/// each pair of them tied at least once, as `(lower index, higher index)`, sorted.
pub(crate) struct Sociogram<'a> {
    pub ids: Vec<&'a ItemId>,
    pub pairs: Vec<(usize, usize)>,
    /// Live ties touching each actor, duplicates included, self-ties excluded.
    pub tie_counts: Vec<usize>,
}

impl<'a> Sociogram<'a> {
    pub fn new(diagnosis: &'a Diagnosis) -> Self {
        // `live_actors` walks a BTreeMap: the ids come sorted, so a binary search finds them.
        let ids: Vec<&ItemId> = diagnosis.live_actors().map(|(id, _)| id).collect();
        let mut tie_counts = vec![0; ids.len()];
        let mut pairs = Vec::new();
        for (_, tie) in diagnosis.live_ties() {
            let (Ok(a), Ok(b)) = (ids.binary_search(&&tie.from), ids.binary_search(&&tie.to))
            else {
                continue;
            };
            if a == b {
                continue;
            }
            tie_counts[a] += 1;
            tie_counts[b] += 1;
            pairs.push((a.min(b), a.max(b)));
        }
        pairs.sort_unstable();
        pairs.dedup();
        Sociogram {
            ids,
            pairs,
            tie_counts,
        }
    }
}

/// One actor's place in the network.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorMetrics {
    /// How many other live actors it has at least one live tie with.
    pub degree: usize,
    /// How many live ties it has with other actors, counting each tie of a pair tied twice.
    pub ties: usize,
    /// `degree / (n − 1)` for `n` live actors: the share of the others it is tied to
    /// (0 when it is the only actor).
    pub degree_centrality: f64,
    /// Brandes' betweenness: the share of shortest paths between two other actors that go
    /// through it, normalised as networkx does for undirected graphs, by the number of pairs
    /// of other actors, `(n − 1)(n − 2) / 2`.
    pub betweenness: f64,
    /// Closeness with Wasserman and Faust's correction for disconnected graphs, as networkx:
    /// `(r / (n − 1)) · (r / Σ d)` where `r` is how many others it can reach and `Σ d` the sum
    /// of its distances to them; 0 when it reaches nobody.
    pub closeness: f64,
}

/// The network metrics of a diagnosis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metrics {
    /// Every live actor, by id.
    pub per_actor: BTreeMap<ItemId, ActorMetrics>,
    /// The actors whose betweenness stands clearly above the rest, highest first (equal ones
    /// by id): betweenness above zero, strictly above the mean plus one (population) standard
    /// deviation of the betweenness of all live actors, and among the top tenth of the actors
    /// (`⌈n / 10⌉` of them, plus any that tie with the last). A network where everyone bridges
    /// alike (a ring) has no broker; a star has its centre; the demo commune 5 of its 42
    /// actors. The cap matters in flat, random-looking networks, where one standard deviation
    /// alone would elect a sixth of the actors.
    pub brokers: Vec<ItemId>,
    /// The live actors with no tie to any other live actor, by id.
    pub isolated: Vec<ItemId>,
}

impl Metrics {
    /// Computes the metrics of the live sociogram.
    pub fn compute(diagnosis: &Diagnosis) -> Metrics {
        let sociogram = Sociogram::new(diagnosis);
        let n = sociogram.ids.len();
        let Centralities {
            betweenness,
            closeness,
        } = Centralities::compute(n, &sociogram.pairs);

        let mut degrees = vec![0usize; n];
        for &(a, b) in &sociogram.pairs {
            degrees[a] += 1;
            degrees[b] += 1;
        }
        let others = n.saturating_sub(1);
        let per_index: Vec<ActorMetrics> = (0..n)
            .map(|i| ActorMetrics {
                degree: degrees[i],
                ties: sociogram.tie_counts[i],
                degree_centrality: if others == 0 {
                    0.0
                } else {
                    degrees[i] as f64 / others as f64
                },
                betweenness: betweenness[i],
                closeness: closeness[i],
            })
            .collect();

        let brokers = brokers(&sociogram.ids, &per_index);
        let isolated = sociogram
            .ids
            .iter()
            .zip(&per_index)
            .filter(|(_, m)| m.degree == 0)
            .map(|(id, _)| (*id).clone())
            .collect();
        let per_actor = sociogram
            .ids
            .iter()
            .map(|id| (*id).clone())
            .zip(per_index)
            .collect();
        Metrics {
            per_actor,
            brokers,
            isolated,
        }
    }
}

/// See [`Metrics::brokers`].
fn brokers(ids: &[&ItemId], metrics: &[ActorMetrics]) -> Vec<ItemId> {
    if metrics.is_empty() {
        return Vec::new();
    }
    let n = metrics.len() as f64;
    let mean = metrics.iter().map(|m| m.betweenness).sum::<f64>() / n;
    let variance = metrics
        .iter()
        .map(|m| (m.betweenness - mean) * (m.betweenness - mean))
        .sum::<f64>()
        / n;
    // Symmetric actors (a ring) get equal betweenness up to rounding: the margin keeps rounding
    // noise from electing some of them.
    let threshold = mean + variance.sqrt() + 1e-9;
    let mut found: Vec<(&ItemId, f64)> = ids
        .iter()
        .zip(metrics)
        .filter(|(_, m)| m.betweenness > 0.0 && m.betweenness > threshold)
        .map(|(id, m)| (*id, m.betweenness))
        .collect();
    found.sort_by(|(a, x), (b, y)| y.total_cmp(x).then_with(|| a.cmp(b)));
    let top = metrics.len().div_ceil(10);
    if let Some(&(_, cut)) = found.get(top - 1) {
        found.retain(|(_, b)| *b >= cut);
    }
    found.into_iter().map(|(id, _)| id.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnosis::{Actor, Tie, TieKind};

    fn tie(from: &str, to: &str) -> Tie {
        Tie {
            from: from.into(),
            to: to.into(),
            kind: TieKind::Information,
            directed: false,
            strength: 3,
            since: String::new(),
            recorded_by: String::new(),
            deleted: false,
        }
    }

    /// Actors named by the given ids, tied as given (tie ids are `t0`, `t1`…).
    fn diagnosis(actors: &[&str], ties: &[(&str, &str)]) -> Diagnosis {
        let mut d = Diagnosis::default();
        for a in actors {
            d.actors.insert((*a).into(), Actor::default());
        }
        for (i, (from, to)) in ties.iter().enumerate() {
            d.ties
                .insert(format!("t{i}").as_str().into(), tie(from, to));
        }
        d
    }

    fn assert_close(actual: f64, expected: f64, what: &str) {
        assert!(
            (actual - expected).abs() < 1e-12,
            "{what}: {actual} != {expected}"
        );
    }

    /// Checks (degree, degree centrality, betweenness, closeness) actor by actor.
    fn check(metrics: &Metrics, expected: &[(&str, usize, f64, f64, f64)]) {
        assert_eq!(metrics.per_actor.len(), expected.len());
        for &(id, degree, dc, b, c) in expected {
            let m = &metrics.per_actor[&ItemId::from(id)];
            assert_eq!(m.degree, degree, "{id} degree");
            assert_close(m.degree_centrality, dc, &format!("{id} degree centrality"));
            assert_close(m.betweenness, b, &format!("{id} betweenness"));
            assert_close(m.closeness, c, &format!("{id} closeness"));
        }
    }

    #[test]
    fn path_of_five() {
        // a - b - c - d - e, n = 5, so n − 1 = 4 and (n − 1)(n − 2)/2 = 6 pairs of others.
        // Degree centrality: degree / 4.
        // Betweenness: b lies on the paths a–c, a–d, a–e: 3/6; c on a–d, a–e, b–d, b–e: 4/6;
        // d like b. Ends lie on none.
        // Closeness (all reachable, r = 4): 4 / Σd. a: 1+2+3+4 = 10; b: 1+1+2+3 = 7;
        // c: 2+1+1+2 = 6.
        let d = diagnosis(
            &["a", "b", "c", "d", "e"],
            &[("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")],
        );
        let m = Metrics::compute(&d);
        check(
            &m,
            &[
                ("a", 1, 0.25, 0.0, 4.0 / 10.0),
                ("b", 2, 0.5, 3.0 / 6.0, 4.0 / 7.0),
                ("c", 2, 0.5, 4.0 / 6.0, 4.0 / 6.0),
                ("d", 2, 0.5, 3.0 / 6.0, 4.0 / 7.0),
                ("e", 1, 0.25, 0.0, 4.0 / 10.0),
            ],
        );
        // Betweenness 0, 1/2, 2/3, 1/2, 0: mean 1/3, variance (1/9 + 1/36 + 1/9 + 1/36 + 1/9)/5
        // = 7/90, σ ≈ 0.279, so the threshold is ≈ 0.612: only c.
        assert_eq!(m.brokers, vec![ItemId::from("c")]);
        assert!(m.isolated.is_empty());
    }

    #[test]
    fn four_cycle_with_a_tail_splits_tied_shortest_paths() {
        // a - b - c - d - a, and e hanging from d: n = 5, n − 1 = 4, 6 pairs of others.
        // Shortest paths (σ = how many):
        //   a–c: a-b-c, a-d-c (σ 2)      b–d: b-a-d, b-c-d (σ 2)
        //   b–e: b-a-d-e, b-c-d-e (σ 2)  a–e: a-d-e, c–e: c-d-e (σ 1); the rest are ties.
        // Betweenness, each pair adding the share of its paths through the actor:
        //   a: b–d ½ + b–e ½ = 1, so 1/6;  c likewise (the mirror of a), 1/6;
        //   b: a–c ½, so 1/12;  d: a–c ½ + a–e 1 + b–e 1 + c–e 1 = 7/2, so 7/12;  e: 0.
        //   (Check: the shares add up to Σ (d(s, t) − 1) over all pairs = 6.)
        // Closeness (all reachable, r = 4), 4 / Σd: a: 1+2+1+2 = 6; b: 1+1+2+3 = 7; c like a;
        // d: 1+2+1+1 = 5; e: 2+3+2+1 = 8.
        let d = diagnosis(
            &["a", "b", "c", "d", "e"],
            &[("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("d", "e")],
        );
        let m = Metrics::compute(&d);
        check(
            &m,
            &[
                ("a", 2, 0.5, 1.0 / 6.0, 4.0 / 6.0),
                ("b", 2, 0.5, 1.0 / 12.0, 4.0 / 7.0),
                ("c", 2, 0.5, 1.0 / 6.0, 4.0 / 6.0),
                ("d", 3, 0.75, 7.0 / 12.0, 4.0 / 5.0),
                ("e", 1, 0.25, 0.0, 4.0 / 8.0),
            ],
        );
        // Mean 1/5, σ ≈ 0.201: the threshold ≈ 0.401 leaves d alone.
        assert_eq!(m.brokers, vec![ItemId::from("d")]);
    }

    #[test]
    fn star_of_five() {
        // hub tied to four leaves. Hub: degree 4 → 4/4 = 1; on the path of each of the
        // C(4, 2) = 6 pairs of leaves → 6/6 = 1; distance 1 to each → 4/4 = 1.
        // Leaf: degree 1 → 1/4; on no path; distances 1 + 2 + 2 + 2 = 7 → 4/7.
        let d = diagnosis(
            &["hub", "l1", "l2", "l3", "l4"],
            &[("hub", "l1"), ("l2", "hub"), ("hub", "l3"), ("l4", "hub")],
        );
        let m = Metrics::compute(&d);
        check(
            &m,
            &[
                ("hub", 4, 1.0, 1.0, 1.0),
                ("l1", 1, 0.25, 0.0, 4.0 / 7.0),
                ("l2", 1, 0.25, 0.0, 4.0 / 7.0),
                ("l3", 1, 0.25, 0.0, 4.0 / 7.0),
                ("l4", 1, 0.25, 0.0, 4.0 / 7.0),
            ],
        );
        assert_eq!(m.brokers, vec![ItemId::from("hub")]);
    }

    #[test]
    fn isolated_actor_and_disconnected_closeness() {
        // a - b - c, and d alone: n = 4, n − 1 = 3, (n − 1)(n − 2)/2 = 3 pairs of others.
        // b lies on a–c: betweenness 1/3.
        // Closeness (Wasserman–Faust): a reaches r = 2 others at Σd = 1 + 2 = 3:
        // (2/3)·(2/3) = 4/9; b reaches 2 at Σd = 2: (2/3)·(2/2) = 2/3; d reaches nobody: 0.
        let d = diagnosis(&["a", "b", "c", "d"], &[("a", "b"), ("b", "c")]);
        let m = Metrics::compute(&d);
        check(
            &m,
            &[
                ("a", 1, 1.0 / 3.0, 0.0, 4.0 / 9.0),
                ("b", 2, 2.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0),
                ("c", 1, 1.0 / 3.0, 0.0, 4.0 / 9.0),
                ("d", 0, 0.0, 0.0, 0.0),
            ],
        );
        assert_eq!(m.isolated, vec![ItemId::from("d")]);
        assert_eq!(m.brokers, vec![ItemId::from("b")]);
    }

    #[test]
    fn duplicate_and_self_ties_count_once_for_paths() {
        // a = b recorded three times (once backwards), b - c once, and a tie from c to itself:
        // the same path of three as a single tie each, but a has three ties.
        let d = diagnosis(
            &["a", "b", "c"],
            &[("a", "b"), ("a", "b"), ("b", "a"), ("b", "c"), ("c", "c")],
        );
        let m = Metrics::compute(&d);
        // n = 3, one pair of others (a, c) whose only shortest path goes through b.
        check(
            &m,
            &[
                ("a", 1, 0.5, 0.0, 2.0 / 3.0),
                ("b", 2, 1.0, 1.0, 1.0),
                ("c", 1, 0.5, 0.0, 2.0 / 3.0),
            ],
        );
        assert_eq!(m.per_actor[&ItemId::from("a")].ties, 3);
        assert_eq!(m.per_actor[&ItemId::from("b")].ties, 4);
        assert_eq!(m.per_actor[&ItemId::from("c")].ties, 1);
    }

    #[test]
    fn deleted_actors_and_ties_are_ignored() {
        // Live: a - b - c. A deleted tie a - c would make a triangle; a deleted actor x tied
        // to everyone would make a star.
        let mut d = diagnosis(
            &["a", "b", "c", "x"],
            &[
                ("a", "b"),
                ("b", "c"),
                ("a", "c"),
                ("x", "a"),
                ("x", "b"),
                ("x", "c"),
            ],
        );
        d.ties.entry("t2".into()).and_modify(|t| t.deleted = true);
        d.actors.entry("x".into()).and_modify(|a| a.deleted = true);
        // And a tie to an actor that is not in the document at all.
        d.ties.insert("t9".into(), tie("a", "ghost"));
        let m = Metrics::compute(&d);
        check(
            &m,
            &[
                ("a", 1, 0.5, 0.0, 2.0 / 3.0),
                ("b", 2, 1.0, 1.0, 1.0),
                ("c", 1, 0.5, 0.0, 2.0 / 3.0),
            ],
        );
        assert_eq!(m.per_actor[&ItemId::from("a")].ties, 1);
    }

    #[test]
    fn brokers_are_capped_to_the_top_tenth() {
        // Three hubs in a row, h1 - h2 - h3, with 6, 4 and 7 leaves: n = 20. Pairs of others
        // whose path goes through each hub (unnormalised; normalising scales all alike):
        // h1: C(6,2) + 6·13 = 93; h3: C(7,2) + 7·12 = 105; h2: 7·8 (h1's side to h3's)
        // + C(4,2) + 4·15 = 122; leaves 0. Mean 320/20 = 16, variance (106² + 89² + 77²
        // + 17·16²)/20 = 1471.9, σ ≈ 38.4: all three hubs pass mean + σ ≈ 54.4, but the top
        // tenth of 20 actors is 2.
        let mut actors = vec!["h1".to_owned(), "h2".to_owned(), "h3".to_owned()];
        let mut ties = vec![
            ("h1".to_owned(), "h2".to_owned()),
            ("h2".to_owned(), "h3".to_owned()),
        ];
        for (hub, leaves) in [("h1", 6), ("h2", 4), ("h3", 7)] {
            for i in 0..leaves {
                actors.push(format!("{hub}l{i}"));
                ties.push((hub.to_owned(), format!("{hub}l{i}")));
            }
        }
        let actors: Vec<&str> = actors.iter().map(String::as_str).collect();
        let ties: Vec<(&str, &str)> = ties.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let m = Metrics::compute(&diagnosis(&actors, &ties));
        // (n − 1)(n − 2)/2 = 171 pairs of others.
        assert_close(
            m.per_actor[&ItemId::from("h1")].betweenness,
            93.0 / 171.0,
            "h1",
        );
        assert_close(
            m.per_actor[&ItemId::from("h2")].betweenness,
            122.0 / 171.0,
            "h2",
        );
        assert_close(
            m.per_actor[&ItemId::from("h3")].betweenness,
            105.0 / 171.0,
            "h3",
        );
        assert_eq!(m.brokers, vec![ItemId::from("h2"), ItemId::from("h3")]);
    }

    #[test]
    fn a_ring_has_no_broker_and_tiny_networks_do_not_divide_by_zero() {
        let ring = diagnosis(
            &["a", "b", "c", "d", "e", "f"],
            &[
                ("a", "b"),
                ("b", "c"),
                ("c", "d"),
                ("d", "e"),
                ("e", "f"),
                ("f", "a"),
            ],
        );
        let m = Metrics::compute(&ring);
        assert!(m.brokers.is_empty());
        assert!(m.per_actor.values().all(|a| a.betweenness > 0.0));

        assert_eq!(Metrics::compute(&Diagnosis::default()), Metrics::default());
        let alone = Metrics::compute(&diagnosis(&["a"], &[]));
        let a = &alone.per_actor[&ItemId::from("a")];
        assert_eq!(
            (a.degree_centrality, a.betweenness, a.closeness),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(alone.isolated, vec![ItemId::from("a")]);
        let pair = Metrics::compute(&diagnosis(&["a", "b"], &[("a", "b")]));
        for m in pair.per_actor.values() {
            assert_eq!(
                (m.degree_centrality, m.betweenness, m.closeness),
                (1.0, 0.0, 1.0)
            );
        }
    }
}
