//! The deterministic force layout of the sociogram (Fruchterman–Reingold, with a cooling
//! schedule and a gravity that keeps everything in the view box).
//!
//! **Forces**, for `n` live actors in a box of area `A` (margins excepted), `k = √(A / n)`:
//! - every pair of actors repels with `k² / d` (exact, `O(n²)`: 125,000 pairs for 500 actors,
//!   a division each and no square root, well under the frame budget);
//! - every pair tied at least once (any kind, any direction, counted once like in
//!   [`analysis::network`](super::analysis::network)) attracts with `d² / k`;
//! - an elliptic spring pulls everyone towards the centre, `gₓ·Δx`, `g_y·Δy`, sized so that
//!   `n` mutually repelling actors settle in an ellipse filling ~90 % of the box: isolated
//!   actors and separate groups stay in view instead of piling up against the edges.
//!
//! Each step moves an actor along its net force by at most the current temperature, which
//! cools geometrically from a tenth of the box width to a floor; the layout is then
//! [settled](Layout::is_settled). Actors added since the last step start beside the actors
//! they are tied to (or at their hashed spot) and warm the layout a little; removed actors
//! are dropped; the others keep their positions.
//!
//! **Pinned actors** (`Actor::pinned`) sit exactly where they were pinned, even outside the
//! box, and still push and pull the others. A non-finite pin is ignored.
//!
//! **Determinism.** There is no randomness: an actor's first position comes from an FNV-1a
//! hash of its id, everything is iterated in id order, and only `+ − × ÷` and `sqrt` on `f64`
//! are used (all correctly rounded by IEEE 754, wasm included; no `sin`, `exp`, `powf`, whose
//! last bits differ between libms). The same diagnosis and the same calls give the same
//! positions, bit for bit, on the server and in every browser.

use crate::model::ItemId;
use crate::model::diagnosis::Diagnosis;
use crate::model::diagnosis::analysis::network::Sociogram;
use std::collections::BTreeMap;

/// The default view box: `0..1000 × 0..700`.
pub const DEFAULT_WIDTH: f64 = 1000.0;
pub const DEFAULT_HEIGHT: f64 = 700.0;

/// Share of the smaller side kept free along each edge, so node discs are not cut.
const MARGIN: f64 = 0.03;
/// Starting temperature, as a share of the inner width.
const START_TEMPERATURE: f64 = 0.1;
/// Temperature floor, as a share of the inner width: below it the layout is settled.
const MIN_TEMPERATURE: f64 = 0.002;
/// Temperature after a step, as a share of the temperature before it.
const COOLING: f64 = 0.96;
/// Temperature (share of the inner width) that new actors warm the layout back to.
const REHEAT: f64 = 0.03;
/// Share of the inner box that the cloud of actors fills at equilibrium (per axis).
const FILL: f64 = 0.9;
/// Below this squared distance two actors count as on top of each other.
const COINCIDENT: f64 = 1e-6;

/// Positions of the live actors, and the state of the simulation that moves them.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    positions: BTreeMap<ItemId, (f64, f64)>,
    width: f64,
    height: f64,
    temperature: f64,
}

impl Layout {
    /// Places every live actor: pinned ones where pinned, the others at a spot hashed from
    /// their id, in a `width × height` box (the default box if either is not a positive
    /// finite number). No step is run.
    pub fn new(diagnosis: &Diagnosis, width: f64, height: f64) -> Self {
        let (width, height) =
            if width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0 {
                (width, height)
            } else {
                (DEFAULT_WIDTH, DEFAULT_HEIGHT)
            };
        let mut layout = Layout {
            positions: BTreeMap::new(),
            width,
            height,
            temperature: 0.0,
        };
        layout.temperature = layout.inner_width() * START_TEMPERATURE;
        for (id, actor) in diagnosis.live_actors() {
            let at = pin(actor.pinned).unwrap_or_else(|| layout.hashed_spot(id));
            layout.positions.insert(id.clone(), at);
        }
        layout
    }

    /// Every live actor's position as of the last step (or creation), by id.
    pub fn positions(&self) -> &BTreeMap<ItemId, (f64, f64)> {
        &self.positions
    }

    pub fn position(&self, id: &ItemId) -> Option<(f64, f64)> {
        self.positions.get(id).copied()
    }

    pub fn width(&self) -> f64 {
        self.width
    }

    pub fn height(&self) -> f64 {
        self.height
    }

    /// The most an actor may move in the next step.
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// Whether the layout has cooled down: further steps only nudge actors by a pixel or two,
    /// so an animation can stop here.
    pub fn is_settled(&self) -> bool {
        self.temperature <= self.min_temperature()
    }

    /// Warms the layout back up as if it were new, e.g. on a "rearrange" button.
    pub fn reheat(&mut self) {
        self.temperature = self.inner_width() * START_TEMPERATURE;
    }

    /// Runs `steps` steps.
    pub fn run(&mut self, diagnosis: &Diagnosis, steps: usize) {
        for _ in 0..steps {
            self.step(diagnosis);
        }
    }

    /// One iteration: takes in actors added or removed since the last one, then moves every
    /// unpinned actor along its net force, by at most the temperature, and cools down.
    pub fn step(&mut self, diagnosis: &Diagnosis) {
        let sociogram = Sociogram::new(diagnosis);
        self.sync(diagnosis, &sociogram);
        let n = sociogram.ids.len();
        if n == 0 {
            return;
        }
        // After `sync`, `positions` holds exactly the live actors, in the same (id) order as
        // `sociogram.ids`, so indices match.
        let mut xs: Vec<f64> = Vec::with_capacity(n);
        let mut ys: Vec<f64> = Vec::with_capacity(n);
        for &(x, y) in self.positions.values() {
            xs.push(x);
            ys.push(y);
        }
        let pinned: Vec<bool> = sociogram
            .ids
            .iter()
            .map(|id| {
                diagnosis
                    .actors
                    .get(*id)
                    .and_then(|a| pin(a.pinned))
                    .is_some()
            })
            .collect();

        let (area, semi_x, semi_y) = self.cloud();
        let k2 = area / n as f64;
        let k = k2.sqrt();
        let mut fx = vec![0.0; n];
        let mut fy = vec![0.0; n];

        for i in 0..n {
            let (xi, yi) = (xs[i], ys[i]);
            let (mut sx, mut sy) = (0.0, 0.0);
            for j in (i + 1)..n {
                let (mut dx, mut dy) = (xi - xs[j], yi - ys[j]);
                let mut d2 = dx * dx + dy * dy;
                if d2 < COINCIDENT {
                    // Pushed apart along a direction that depends only on the pair's indices.
                    dx = if (i + j) % 2 == 0 { 0.01 } else { -0.01 };
                    dy = if j % 3 == 0 { 0.01 } else { -0.01 };
                    d2 = dx * dx + dy * dy;
                }
                // Force k²/d along the unit vector (dx, dy)/d.
                let f = k2 / d2;
                sx += dx * f;
                sy += dy * f;
                fx[j] -= dx * f;
                fy[j] -= dy * f;
            }
            fx[i] += sx;
            fy[i] += sy;
        }

        for &(i, j) in &sociogram.pairs {
            let (dx, dy) = (xs[i] - xs[j], ys[i] - ys[j]);
            // Force d²/k along the unit vector: (dx, dy) · d / k.
            let f = (dx * dx + dy * dy).sqrt() / k;
            fx[i] -= dx * f;
            fy[i] -= dy * f;
            fx[j] += dx * f;
            fy[j] += dy * f;
        }

        // A uniform ellipse of n charges, semi-axes a and b, pushes outwards with
        // 2k²n·x / (a(a + b)) along x (and symmetrically along y): the spring that balances it
        // there.
        let gx = 2.0 * area / (semi_x * (semi_x + semi_y));
        let gy = 2.0 * area / (semi_y * (semi_x + semi_y));
        let (cx, cy) = (self.width / 2.0, self.height / 2.0);
        let (left, top, right, bottom) = self.bounds();
        let t = self.temperature;
        for (i, at) in self.positions.values_mut().enumerate() {
            if pinned[i] {
                continue;
            }
            let dx = fx[i] - gx * (xs[i] - cx);
            let dy = fy[i] - gy * (ys[i] - cy);
            let len = (dx * dx + dy * dy).sqrt();
            if !(len > 0.0 && len.is_finite()) {
                continue;
            }
            let scale = len.min(t) / len;
            *at = (
                (xs[i] + dx * scale).clamp(left, right),
                (ys[i] + dy * scale).clamp(top, bottom),
            );
        }
        self.temperature = (self.temperature * COOLING).max(self.min_temperature());
    }

    /// Brings `positions` in line with the live actors: drops the removed, places the new
    /// beside their placed neighbours (warming the layout), moves the pinned to their pins.
    fn sync(&mut self, diagnosis: &Diagnosis, sociogram: &Sociogram<'_>) {
        self.positions.retain(|id, _| diagnosis.is_live_actor(id));
        let placed: Vec<Option<(f64, f64)>> = sociogram
            .ids
            .iter()
            .map(|id| self.positions.get(*id).copied())
            .collect();
        let mut added = false;
        for (i, id) in sociogram.ids.iter().enumerate() {
            let pinned = diagnosis.actors.get(*id).and_then(|a| pin(a.pinned));
            if let Some(at) = pinned {
                match self.positions.get_mut(*id) {
                    Some(slot) => *slot = at,
                    None => {
                        self.positions.insert((*id).clone(), at);
                    }
                }
                continue;
            }
            if placed[i].is_some() {
                continue;
            }
            added = true;
            let at = self.beside_neighbours(id, i, sociogram, &placed);
            self.positions.insert((*id).clone(), at);
        }
        if added {
            self.temperature = self.temperature.max(self.inner_width() * REHEAT);
        }
    }

    /// Where a new actor starts: the centre of its already placed neighbours, shifted by a
    /// hashed offset so that two newcomers tied to the same actor do not coincide; its hashed
    /// spot if none is placed.
    fn beside_neighbours(
        &self,
        id: &ItemId,
        index: usize,
        sociogram: &Sociogram<'_>,
        placed: &[Option<(f64, f64)>],
    ) -> (f64, f64) {
        let (mut sx, mut sy, mut count) = (0.0, 0.0, 0usize);
        for &(a, b) in &sociogram.pairs {
            let other = match (a == index, b == index) {
                (true, _) => b,
                (_, true) => a,
                _ => continue,
            };
            if let Some((x, y)) = placed[other] {
                sx += x;
                sy += y;
                count += 1;
            }
        }
        if count == 0 {
            return self.hashed_spot(id);
        }
        let spread = (self.cloud().0 / sociogram.ids.len() as f64).sqrt() / 2.0;
        let hash = fnv1a(id.as_str());
        let (u, v) = (unit(mix(hash ^ 0x5bd1_e995)), unit(mix(hash ^ 0x1b87_3593)));
        let (left, top, right, bottom) = self.bounds();
        (
            (sx / count as f64 + (2.0 * u - 1.0) * spread).clamp(left, right),
            (sy / count as f64 + (2.0 * v - 1.0) * spread).clamp(top, bottom),
        )
    }

    /// A spot in the box that depends on the id alone.
    fn hashed_spot(&self, id: &ItemId) -> (f64, f64) {
        let hash = fnv1a(id.as_str());
        let (left, top, right, bottom) = self.bounds();
        (
            left + unit(mix(hash)) * (right - left),
            top + unit(mix(hash.rotate_left(32) ^ 0x9e37_79b9_7f4a_7c15)) * (bottom - top),
        )
    }

    fn margin(&self) -> f64 {
        self.width.min(self.height) * MARGIN
    }

    /// Where unpinned actors may go: (left, top, right, bottom).
    fn bounds(&self) -> (f64, f64, f64, f64) {
        let m = self.margin();
        (m, m, self.width - m, self.height - m)
    }

    fn inner_width(&self) -> f64 {
        self.width - 2.0 * self.margin()
    }

    fn min_temperature(&self) -> f64 {
        self.inner_width() * MIN_TEMPERATURE
    }

    /// The inner area and the semi-axes of the ellipse the actors should fill.
    fn cloud(&self) -> (f64, f64, f64) {
        let (left, top, right, bottom) = self.bounds();
        let (w, h) = (right - left, bottom - top);
        (w * h, FILL * w / 2.0, FILL * h / 2.0)
    }
}

/// A usable pin: both coordinates finite.
fn pin(pinned: Option<(f64, f64)>) -> Option<(f64, f64)> {
    pinned.filter(|(x, y)| x.is_finite() && y.is_finite())
}

/// FNV-1a, 64 bits: stable across platforms and Rust releases, unlike `DefaultHasher`.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The splitmix64 finaliser: spreads FNV's weak low bits over the whole word.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The top 53 bits as a number in `[0, 1)`, exactly.
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diagnosis::{Actor, Tie, TieKind};

    fn tie(from: &str, to: &str) -> Tie {
        Tie {
            from: from.into(),
            to: to.into(),
            kind: TieKind::Alliance,
            directed: false,
            strength: 3,
            since: String::new(),
            recorded_by: String::new(),
            deleted: false,
        }
    }

    /// Three groups of ten actors, each a ring with two chords, the groups joined by one tie
    /// each, and three isolated actors.
    fn clusters() -> Diagnosis {
        let mut d = Diagnosis::default();
        let name = |g: usize, i: usize| format!("g{g}a{i}");
        let mut ties = Vec::new();
        for g in 0..3 {
            for i in 0..10 {
                d.actors
                    .insert(name(g, i).as_str().into(), Actor::default());
                ties.push((name(g, i), name(g, (i + 1) % 10)));
            }
            ties.push((name(g, 0), name(g, 5)));
            ties.push((name(g, 2), name(g, 7)));
            ties.push((name(g, 3), name((g + 1) % 3, 8)));
        }
        for i in 0..3 {
            d.actors
                .insert(format!("alone{i}").as_str().into(), Actor::default());
        }
        for (i, (from, to)) in ties.iter().enumerate() {
            d.ties
                .insert(format!("t{i:03}").as_str().into(), tie(from, to));
        }
        d
    }

    fn distance(layout: &Layout, a: &ItemId, b: &ItemId) -> f64 {
        let ((ax, ay), (bx, by)) = (layout.positions[a], layout.positions[b]);
        ((ax - bx) * (ax - bx) + (ay - by) * (ay - by)).sqrt()
    }

    #[test]
    fn same_input_same_output() {
        let d = clusters();
        let mut one = Layout::new(&d, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        let mut two = Layout::new(&d, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        one.run(&d, 120);
        two.run(&d, 120);
        assert_eq!(one, two);
        // Bit for bit, not merely close.
        for (id, (x, y)) in one.positions() {
            let (x2, y2) = two.positions()[id];
            assert_eq!((x.to_bits(), y.to_bits()), (x2.to_bits(), y2.to_bits()));
        }
        // And the first positions do not depend on how many other actors there are.
        let mut smaller = d.clone();
        smaller.actors.retain(|id, _| id.as_str().starts_with("g0"));
        let fresh = Layout::new(&smaller, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        let full = Layout::new(&d, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        for (id, at) in fresh.positions() {
            assert_eq!(full.positions()[id], *at);
        }
    }

    #[test]
    fn tied_actors_end_closer_than_untied_ones() {
        let d = clusters();
        let mut layout = Layout::new(&d, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        layout.run(&d, 200);
        assert!(layout.is_settled());
        let sociogram = Sociogram::new(&d);
        let tied: Vec<f64> = sociogram
            .pairs
            .iter()
            .map(|&(a, b)| distance(&layout, sociogram.ids[a], sociogram.ids[b]))
            .collect();
        let mut untied = Vec::new();
        for a in 0..sociogram.ids.len() {
            for b in (a + 1)..sociogram.ids.len() {
                if sociogram.pairs.binary_search(&(a, b)).is_err() {
                    untied.push(distance(&layout, sociogram.ids[a], sociogram.ids[b]));
                }
            }
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        assert!(
            mean(&tied) * 2.0 < mean(&untied),
            "tied {} untied {}",
            mean(&tied),
            mean(&untied)
        );
    }

    #[test]
    fn positions_stay_finite_and_in_the_box() {
        let mut d = clusters();
        // Two actors hashed anywhere but tied to nobody, and two ties to the same pair.
        d.ties.insert("dup".into(), tie("g0a0", "g0a1"));
        let mut layout = Layout::new(&d, 400.0, 300.0);
        for _ in 0..300 {
            layout.step(&d);
            for &(x, y) in layout.positions().values() {
                assert!(x.is_finite() && y.is_finite());
                assert!((0.0..=400.0).contains(&x) && (0.0..=300.0).contains(&y));
            }
        }
        // A broken box falls back to the default one.
        let fallback = Layout::new(&d, f64::NAN, -3.0);
        assert_eq!(
            (fallback.width(), fallback.height()),
            (DEFAULT_WIDTH, DEFAULT_HEIGHT)
        );
    }

    #[test]
    fn pinned_actors_stay_put_and_still_attract() {
        let mut d = clusters();
        let pinned = ItemId::from("g1a0");
        d.actors
            .entry(pinned.clone())
            .and_modify(|a| a.pinned = Some((100.0, 100.0)));
        // Two actors pinned on the same spot stay there too.
        d.actors
            .entry("g2a0".into())
            .and_modify(|a| a.pinned = Some((900.0, 600.0)));
        d.actors
            .entry("g2a5".into())
            .and_modify(|a| a.pinned = Some((900.0, 600.0)));
        let mut layout = Layout::new(&d, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        layout.run(&d, 200);
        assert_eq!(layout.position(&pinned), Some((100.0, 100.0)));
        assert_eq!(layout.position(&"g2a0".into()), Some((900.0, 600.0)));
        assert_eq!(layout.position(&"g2a5".into()), Some((900.0, 600.0)));
        // Its ring neighbours were drawn towards the corner it is pinned in.
        let near = distance(&layout, &pinned, &"g1a1".into());
        let far = distance(&layout, &pinned, &"g0a5".into());
        assert!(near < far, "neighbour at {near}, stranger at {far}");

        // Pinned after the start: jumps to its pin at the next step.
        d.actors
            .entry("g0a3".into())
            .and_modify(|a| a.pinned = Some((500.0, 20.0)));
        layout.step(&d);
        assert_eq!(layout.position(&"g0a3".into()), Some((500.0, 20.0)));
    }

    #[test]
    fn actors_added_and_removed_between_steps() {
        let mut d = clusters();
        let mut layout = Layout::new(&d, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        layout.run(&d, 200);
        let before = layout.clone();

        d.actors
            .entry("g0a4".into())
            .and_modify(|a| a.deleted = true);
        d.actors.insert("new".into(), Actor::default());
        d.ties.insert("tnew".into(), tie("new", "g2a2"));
        layout.step(&d);

        assert_eq!(layout.position(&"g0a4".into()), None);
        assert_eq!(layout.positions().len(), before.positions().len());
        // The newcomer starts next to the actor it is tied to…
        let k = (layout.cloud().0 / layout.positions().len() as f64).sqrt();
        assert!(distance(&layout, &"new".into(), &"g2a2".into()) < 3.0 * k);
        // …and the others move by at most the (re-warmed) temperature.
        let limit = layout.inner_width() * REHEAT + 1e-9;
        for (id, &(x, y)) in before.positions() {
            if let Some((x2, y2)) = layout.position(id) {
                assert!(
                    (x - x2).abs() <= limit && (y - y2).abs() <= limit,
                    "{id} jumped"
                );
            }
        }
        assert!(!layout.is_settled());
    }

    #[test]
    fn empty_and_single_actor() {
        let mut layout = Layout::new(&Diagnosis::default(), DEFAULT_WIDTH, DEFAULT_HEIGHT);
        layout.run(&Diagnosis::default(), 10);
        assert!(layout.positions().is_empty());

        let mut d = Diagnosis::default();
        d.actors.insert("a".into(), Actor::default());
        let mut layout = Layout::new(&d, DEFAULT_WIDTH, DEFAULT_HEIGHT);
        layout.run(&d, 300);
        // Gravity alone: it drifts to the centre.
        let (x, y) = layout.positions()[&ItemId::from("a")];
        assert!(
            (x - 500.0).abs() < 5.0 && (y - 350.0).abs() < 5.0,
            "({x}, {y})"
        );
    }
}
