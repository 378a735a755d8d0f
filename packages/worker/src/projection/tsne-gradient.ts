import type { SparseAffinities } from "./affinities.js";
import type { QuadTree } from "./quadtree.js";

/**
 * The Barnes-Hut gradient of t-SNE's cost KL(P || Q) with respect to the layout y (n x 2,
 * row-major), written into `gradient` (n x 2):
 *   dC/dy_i = 4 (exaggeration sum_j p_ij w_ij (y_i - y_j) - sum_j w_ij^2 (y_i - y_j) / Z),
 * w_ij = 1 / (1 + |y_i - y_j|^2), Z = sum_{k != l} w_kl. The attractive sum runs over P's sparse
 * entries exactly; the repulsive sums and Z come from `tree`, rebuilt here over y, opening cells
 * while side / distance >= theta (theta = 0 gives the exact gradient). `repulsion` (n x 2) is
 * scratch. The factor 4 makes this the true gradient (the learning rate is chosen to match).
 * @returns Z, the estimate of the normalisation sum
 */
export function barnesHutGradient(
  affinities: SparseAffinities,
  y: Float64Array,
  exaggeration: number,
  theta: number,
  tree: QuadTree,
  repulsion: Float64Array,
  gradient: Float64Array,
): number {
  const { n, rowStart, columns, values } = affinities;
  tree.build(y);
  repulsion.fill(0);
  let z = 0;
  // in tree order: consecutive points walk nearly the same cells (cache-friendly)
  const order = tree.order;
  for (let p = 0; p < n; p++) z += tree.repulsion(y, order[p]!, theta, repulsion);
  for (let i = 0; i < n; i++) {
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    let ax = 0;
    let ay = 0;
    for (let p = rowStart[i]!; p < rowStart[i + 1]!; p++) {
      const j = columns[p]!;
      const dx = xi - y[2 * j]!;
      const dy = yi - y[2 * j + 1]!;
      const pw = values[p]! / (1 + dx * dx + dy * dy);
      ax += pw * dx;
      ay += pw * dy;
    }
    gradient[2 * i] = 4 * (exaggeration * ax - repulsion[2 * i]! / z);
    gradient[2 * i + 1] = 4 * (exaggeration * ay - repulsion[2 * i + 1]! / z);
  }
  return z;
}
