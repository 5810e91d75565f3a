//! One-to-one pairing: a maximum-cardinality bipartite matching that, among
//! all matchings of that size, has the largest total similarity.
//!
//! The graph is split into connected components and each is solved with the
//! Hungarian algorithm on weights `W + similarity` (`W` larger than any sum
//! of similarities, so one more pair always beats any gain in similarity).

/// Pairs `(left, right)` of a maximum matching over `edges`
/// (`(left, right, similarity)` with similarity in `[0, 1]`), sorted by left.
pub(crate) fn max_matching(n_left: usize, n_right: usize, edges: &[(usize, usize, f64)]) -> Vec<(usize, usize)> {
    // Union-find over left nodes 0..n_left and right nodes n_left...
    let mut parent: Vec<usize> = (0..n_left + n_right).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(l, r, _) in edges {
        let a = find(&mut parent, l);
        let b = find(&mut parent, n_left + r);
        if a != b {
            parent[a] = b;
        }
    }
    let mut components: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, &(l, _, _)) in edges.iter().enumerate() {
        let root = find(&mut parent, l);
        components.entry(root).or_default().push(i);
    }

    let mut pairs = Vec::new();
    for edge_ids in components.values() {
        let mut lefts: Vec<usize> = edge_ids.iter().map(|&i| edges[i].0).collect();
        let mut rights: Vec<usize> = edge_ids.iter().map(|&i| edges[i].1).collect();
        lefts.sort_unstable();
        lefts.dedup();
        rights.sort_unstable();
        rights.dedup();
        let big = (lefts.len().min(rights.len()) + 1) as f64;
        // Rows are the smaller side (the algorithm needs rows <= columns).
        let transpose = lefts.len() > rights.len();
        let (rows, cols) = if transpose {
            (&rights, &lefts)
        } else {
            (&lefts, &rights)
        };
        let mut weight = vec![vec![0.0; cols.len()]; rows.len()];
        for &i in edge_ids {
            let (l, r, sim) = edges[i];
            let li = lefts.binary_search(&l).expect("left of its own component");
            let ri = rights.binary_search(&r).expect("right of its own component");
            let (row, col) = if transpose { (ri, li) } else { (li, ri) };
            let w = big + sim.clamp(0.0, 1.0);
            if w > weight[row][col] {
                weight[row][col] = w;
            }
        }
        for (row, col) in hungarian_max(&weight) {
            if weight[row][col] > 0.0 {
                let (l, r) = if transpose {
                    (cols[col], rows[row])
                } else {
                    (rows[row], cols[col])
                };
                pairs.push((l, r));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Assignment of every row to a distinct column maximising the total weight
/// (rows <= columns). Returns `(row, column)` for every row.
fn hungarian_max(weight: &[Vec<f64>]) -> Vec<(usize, usize)> {
    let n = weight.len();
    if n == 0 {
        return Vec::new();
    }
    let m = weight[0].len();
    debug_assert!(n <= m);
    // Minimise cost = -weight; 1-based potentials as in the classic O(n²m) form.
    let cost = |i: usize, j: usize| -weight[i - 1][j - 1];
    let mut u = vec![0.0f64; n + 1];
    let mut v = vec![0.0f64; m + 1];
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0usize;
        let mut minv = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0usize;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost(i0, j) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=m).filter(|&j| p[j] != 0).map(|j| (p[j] - 1, j - 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_cardinality_over_similarity() {
        // Left 0 fits both rights and is most similar to right 0; left 1 fits
        // only right 0. Greedy by similarity would pair one; the maximum is two.
        let edges = [(0, 0, 1.0), (0, 1, 0.1), (1, 0, 0.2)];
        assert_eq!(max_matching(2, 2, &edges), vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn breaks_ties_by_similarity() {
        let edges = [(0, 0, 0.2), (0, 1, 0.9), (1, 0, 0.9), (1, 1, 0.2)];
        assert_eq!(max_matching(2, 2, &edges), vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn one_to_one_and_rectangular() {
        let edges = [(0, 0, 1.0), (1, 0, 1.0), (2, 0, 0.5), (2, 1, 0.0)];
        let pairs = max_matching(4, 3, &edges);
        assert_eq!(pairs.len(), 2);
        assert!(pairs.contains(&(2, 1)));
        assert!(max_matching(3, 3, &[]).is_empty());
    }

    #[test]
    fn separate_components() {
        let edges = [(0, 2, 0.5), (1, 1, 0.5), (2, 0, 0.5), (3, 0, 0.9)];
        assert_eq!(max_matching(4, 3, &edges), vec![(0, 2), (1, 1), (3, 0)]);
    }
}
