//! Betweenness and closeness of a simple undirected graph, computed together: one
//! breadth-first search per source over compressed sparse rows, so `O(n·m)` work for `n`
//! nodes and `m` edges, in buffers allocated once for all the searches.
//!
//! The figures are those of networkx (`betweenness_centrality(G, normalized=True)` and
//! `closeness_centrality(G, wf_improved=True)`), so that one can be checked there. Sources are
//! taken in index order and every sum is sequential: the same graph gives the same bits on
//! every run and every machine, wasm included.

use petgraph::Undirected;
use petgraph::csr::Csr;

/// Each node's neighbours, sorted, in one flat vector, with each node's offset into it.
type Adjacency = Csr<(), (), Undirected, usize>;

/// The distance of a node the current search has not reached.
const UNREACHED: usize = usize::MAX;

/// The betweenness and closeness of every node, by index.
pub(super) struct Centralities {
    /// Brandes' betweenness, normalised by the `(n − 1)(n − 2) / 2` pairs of other nodes.
    pub betweenness: Vec<f64>,
    /// `(r / Σ d) · r / (n − 1)`, for `r` nodes reached at distances summing to `Σ d`.
    pub closeness: Vec<f64>,
}

impl Centralities {
    /// Computes both centralities of the graph with nodes `0..n` and the edges `pairs`, each
    /// `(lower, higher)`, sorted and without duplicates or self-loops (a
    /// [`Sociogram`](super::network::Sociogram)'s).
    // Kept out of `Metrics::compute`: inlined there, V8 runs the merged function a third slower
    // (14 → 20 ms on the 500-actor benchmark, opt-level "z").
    #[inline(never)]
    pub fn compute(n: usize, pairs: &[(usize, usize)]) -> Self {
        let graph = adjacency(n, pairs);
        let mut betweenness = vec![0.0; n];
        let mut closeness = vec![0.0; n];
        // Per search: distance from the source, number of shortest paths from it (σ, a float
        // as in networkx: it can outgrow any integer), and dependency (δ). Each search leaves
        // them as it found them, resetting only the nodes it reached.
        let mut distance = vec![UNREACHED; n];
        let mut paths = vec![0.0_f64; n];
        let mut dependency = vec![0.0_f64; n];
        // The nodes reached, in the order reached: the search's queue.
        let mut order = vec![0; n];
        // The arcs `(v, w)` of the shortest-path DAG, `w` one step farther than `v`, in the
        // order found: at most one per edge, as only one end of an edge can be the closer.
        let mut steps = vec![(0, 0); pairs.len()];
        // Slices, not `Vec`s, from here on: indexing a slice is built into the language, but
        // indexing (or pushing onto) a `Vec` is a call, which the browser bundle's opt-level
        // "z" leaves uninlined, making this loop twice as slow in wasm.
        let (betweenness_of, closeness_of) = (&mut betweenness[..], &mut closeness[..]);
        let (distance, paths, dependency) =
            (&mut distance[..], &mut paths[..], &mut dependency[..]);
        let (order, steps) = (&mut order[..], &mut steps[..]);
        for source in 0..n {
            distance[source] = 0;
            paths[source] = 1.0;
            order[0] = source;
            let (mut reached, mut found, mut total_distance) = (1, 0, 0);
            let mut head = 0;
            while head < reached {
                let v = order[head];
                head += 1;
                let next = distance[v] + 1;
                for &w in graph.neighbors_slice(v) {
                    if distance[w] == UNREACHED {
                        distance[w] = next;
                        total_distance += next;
                        order[reached] = w;
                        reached += 1;
                    }
                    if distance[w] == next {
                        paths[w] += paths[v];
                        steps[found] = (v, w);
                        found += 1;
                    }
                }
            }

            let others = reached - 1;
            if others > 0 {
                // rustworkx-core's order of operations, which computed this before: same bits.
                closeness_of[source] =
                    others as f64 / total_distance as f64 * others as f64 / (n - 1) as f64;
            }

            // Brandes: `v` owes `w` the share σ(v)/σ(w) of `w`'s dependency plus `w` itself.
            // The arcs out of `w` were found after the arcs into it (`w` left the queue after
            // `v`), so walking the arcs backwards completes `w`'s dependency before passing it on.
            for &(v, w) in steps[..found].iter().rev() {
                dependency[v] += paths[v] * ((1.0 + dependency[w]) / paths[w]);
            }
            for &w in &order[1..reached] {
                betweenness_of[w] += dependency[w];
            }

            for &v in &order[..reached] {
                distance[v] = UNREACHED;
                paths[v] = 0.0;
                dependency[v] = 0.0;
            }
        }
        // Each pair of others was counted from both ends.
        if n > 2 {
            let scale = 1.0 / ((n - 1) * (n - 2)) as f64;
            for b in &mut betweenness {
                *b *= scale;
            }
        }
        Centralities {
            betweenness,
            closeness,
        }
    }
}

/// The graph as compressed sparse rows, each edge stored once from each end.
fn adjacency(n: usize, pairs: &[(usize, usize)]) -> Adjacency {
    let mut arcs: Vec<(usize, usize)> = Vec::with_capacity(2 * pairs.len());
    for &(a, b) in pairs {
        arcs.push((a, b));
        arcs.push((b, a));
    }
    arcs.sort_unstable();
    arcs.dedup();
    let mut graph =
        Adjacency::from_sorted_edges(&arcs).expect("arcs are sorted and deduplicated just above");
    // `from_sorted_edges` stops at the highest node with an edge.
    while graph.node_count() < n {
        graph.add_node(());
    }
    graph
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Betweenness and closeness straight from their definitions, on an adjacency matrix:
    /// distances by Floyd–Warshall, numbers of shortest paths counted towards each target from
    /// its neighbours one step closer, then every pair and every node in between checked.
    fn reference(n: usize, pairs: &[(usize, usize)]) -> (Vec<f64>, Vec<f64>) {
        const FAR: usize = usize::MAX / 4;
        let mut tied = vec![vec![false; n]; n];
        let mut d = vec![vec![FAR; n]; n];
        for &(a, b) in pairs {
            tied[a][b] = true;
            tied[b][a] = true;
            d[a][b] = 1;
            d[b][a] = 1;
        }
        for (i, row) in d.iter_mut().enumerate() {
            row[i] = 0;
        }
        for k in 0..n {
            for i in 0..n {
                for j in 0..n {
                    d[i][j] = d[i][j].min(d[i][k] + d[k][j]);
                }
            }
        }
        let mut count = vec![vec![0.0_f64; n]; n];
        for s in 0..n {
            count[s][s] = 1.0;
            for step in 1..n {
                for t in 0..n {
                    if d[s][t] == step {
                        count[s][t] = (0..n)
                            .filter(|&u| tied[u][t] && d[s][u] == step - 1)
                            .map(|u| count[s][u])
                            .sum();
                    }
                }
            }
        }
        let mut betweenness = vec![0.0; n];
        let mut closeness = vec![0.0; n];
        for v in 0..n {
            for s in 0..n {
                for t in s + 1..n {
                    if v != s && v != t && d[s][t] < FAR && d[s][v] + d[v][t] == d[s][t] {
                        betweenness[v] += count[s][v] * count[v][t] / count[s][t];
                    }
                }
            }
            if n > 2 {
                betweenness[v] /= ((n - 1) * (n - 2) / 2) as f64;
            }
            let reached: Vec<usize> = (0..n).filter(|&t| t != v && d[v][t] < FAR).collect();
            if !reached.is_empty() {
                let r = reached.len() as f64;
                let total: usize = reached.iter().map(|&t| d[v][t]).sum();
                closeness[v] = (r / (n - 1) as f64) * (r / total as f64);
            }
        }
        (betweenness, closeness)
    }

    #[test]
    fn matches_the_definitions_on_small_random_graphs() {
        // splitmix64: graphs from sparse (several components, isolated nodes) to dense (many
        // shortest paths of equal length).
        let mut state: u64 = 7;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        for round in 0..60 {
            let n = 1 + round % 14;
            let percent = [8, 15, 25, 40, 70][round % 5];
            let pairs: Vec<(usize, usize)> = (0..n)
                .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
                .filter(|_| next() % 100 < percent)
                .collect();
            let got = Centralities::compute(n, &pairs);
            let (betweenness, closeness) = reference(n, &pairs);
            for v in 0..n {
                let what = format!("graph {round} ({n} nodes, {pairs:?}), node {v}");
                assert!(
                    (got.betweenness[v] - betweenness[v]).abs() < 1e-12,
                    "{what}: betweenness {} != {}",
                    got.betweenness[v],
                    betweenness[v]
                );
                assert!(
                    (got.closeness[v] - closeness[v]).abs() < 1e-12,
                    "{what}: closeness {} != {}",
                    got.closeness[v],
                    closeness[v]
                );
            }
        }
    }

    #[test]
    fn isolated_nodes_after_the_last_edge_are_kept() {
        // Nodes 2 and 3 have no edge: the sparse rows must still have a (empty) row for each.
        let c = Centralities::compute(4, &[(0, 1)]);
        assert_eq!(c.betweenness, vec![0.0; 4]);
        // 0 and 1 reach one other of three, at distance 1: (1/1) · 1/3.
        assert_eq!(c.closeness, vec![1.0 / 3.0, 1.0 / 3.0, 0.0, 0.0]);
        let empty = Centralities::compute(0, &[]);
        assert!(empty.betweenness.is_empty() && empty.closeness.is_empty());
    }
}
