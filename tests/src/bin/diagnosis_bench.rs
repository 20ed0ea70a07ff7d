//! Times the diagnosis analysis and layout on a synthetic sociogram and prints figures. Not a
//! test: nothing here passes or fails.
//!
//! ```sh
//! cargo run --release -p terrain-tests --bin diagnosis_bench
//! ```
//!
//! The sociogram is generated deterministically (splitmix64 from a fixed seed): 500 actors in
//! 10 communities of 50, 2,000 ties (four in five inside a community), 20 issues on which every
//! actor took a stance (10,000 positions), stances leaning by community.

use app::model::ItemId;
use app::model::diagnosis::analysis::{Divergence, Metrics, power_interest_grid};
use app::model::diagnosis::layout::{DEFAULT_HEIGHT, DEFAULT_WIDTH, Layout};
use app::model::diagnosis::{
    Actor, ActorCategory, Diagnosis, Issue, IssueRole, Position, Tie, TieKind,
};
use std::time::{Duration, Instant};

const ACTORS: usize = 500;
const COMMUNITIES: usize = 10;
const TIES: usize = 2_000;
const ISSUES: usize = 20;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A 12-character id like `ItemId::random`'s.
    fn id(&mut self) -> ItemId {
        const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        ItemId(
            (0..12)
                .map(|_| ALPHABET[self.below(ALPHABET.len())] as char)
                .collect(),
        )
    }
}

fn synthetic() -> Diagnosis {
    let mut rng = Rng(2026);
    let mut d = Diagnosis {
        title: "bench".into(),
        ..Diagnosis::default()
    };
    let actors: Vec<ItemId> = (0..ACTORS).map(|_| rng.id()).collect();
    for (i, id) in actors.iter().enumerate() {
        let actor = Actor {
            name: format!("Actor {i}"),
            category: ActorCategory::ALL[rng.below(ActorCategory::ALL.len())],
            influence: 1 + rng.below(5) as u8,
            interest: 1 + rng.below(5) as u8,
            // A few pinned by hand, as in real use.
            pinned: (i % 50 == 0).then(|| (rng.below(1000) as f64, rng.below(700) as f64)),
            ..Actor::default()
        };
        d.actors.insert(id.clone(), actor);
    }
    let community_size = ACTORS / COMMUNITIES;
    for _ in 0..TIES {
        let a = rng.below(ACTORS);
        let b = if rng.below(5) < 4 {
            (a / community_size) * community_size + rng.below(community_size)
        } else {
            rng.below(ACTORS)
        };
        let tie = Tie {
            from: actors[a].clone(),
            to: actors[b].clone(),
            kind: TieKind::ALL[rng.below(TieKind::ALL.len())],
            directed: rng.below(2) == 0,
            strength: 1 + rng.below(5) as u8,
            since: "2024".into(),
            recorded_by: "bench".into(),
            deleted: false,
        };
        d.ties.insert(rng.id(), tie);
    }
    for issue in 0..ISSUES {
        let issue_id = rng.id();
        d.issues.insert(
            issue_id.clone(),
            Issue {
                statement: format!("Issue {issue}"),
                role: if issue == 0 {
                    IssueRole::Core
                } else {
                    IssueRole::Cause
                },
                parent: None,
                evidence: String::new(),
                deleted: false,
            },
        );
        for (i, actor) in actors.iter().enumerate() {
            let lean = ((i / community_size + issue) % 5) as i64 - 2;
            let stance = (lean + rng.below(3) as i64 - 1).clamp(-2, 2) as i8;
            d.positions.insert(
                rng.id(),
                Position {
                    actor: actor.clone(),
                    issue: issue_id.clone(),
                    stance,
                    rationale: String::new(),
                    date: "2026-10-14".into(),
                    source: "bench".into(),
                    deleted: false,
                },
            );
        }
    }
    d
}

/// Runs `f` `runs` times; returns the sorted durations.
fn time(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn report(what: &str, times: &[Duration]) {
    let (Some(first), Some(last)) = (times.first(), times.last()) else {
        return;
    };
    println!(
        "{what:<44} median {:>8.3} ms   min {:>8.3} ms   max {:>8.3} ms   ({} runs)",
        ms(times[times.len() / 2]),
        ms(*first),
        ms(*last),
        times.len()
    );
}

fn main() {
    let d = synthetic();
    println!(
        "synthetic diagnosis: {} actors, {} ties, {} issues, {} positions",
        d.actors.len(),
        d.ties.len(),
        d.issues.len(),
        d.positions.len()
    );

    let mut layout = Layout::new(&d, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    report(
        "layout: one step (from a fresh layout)",
        &time(50, || layout.step(&d)),
    );
    let mut steps = 50;
    while !layout.is_settled() {
        layout.step(&d);
        steps += 1;
    }
    println!("layout: settled after {steps} steps");
    report("layout: one step (settled)", &time(50, || layout.step(&d)));
    report(
        "layout: new + 150 steps",
        &time(3, || {
            let mut l = Layout::new(&d, DEFAULT_WIDTH, DEFAULT_HEIGHT);
            l.run(&d, 150);
            std::hint::black_box(l);
        }),
    );

    let mut metrics = Metrics::default();
    report(
        "metrics: degree, betweenness, closeness",
        &time(20, || metrics = Metrics::compute(&d)),
    );
    println!(
        "metrics: {} brokers, {} isolated",
        metrics.brokers.len(),
        metrics.isolated.len()
    );

    report(
        "power-interest grid",
        &time(20, || {
            std::hint::black_box(power_interest_grid(&d));
        }),
    );

    let mut divergence = Divergence::default();
    report(
        "divergence: 20 issues x 500 positions",
        &time(20, || divergence = Divergence::compute(&d)),
    );
    println!(
        "divergence: {} allies who disagree, {} adversaries who agree",
        divergence.allies_who_disagree.len(),
        divergence.conflicts_that_agree.len()
    );
}
