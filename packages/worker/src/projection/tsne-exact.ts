import type { SparseAffinities } from "./affinities.js";

/**
 * The readable O(n^2) reference for tests: t-SNE's exact gradient of KL(P || Q) with respect to
 * the layout y (n x 2, row-major), summing over every pair,
 *   dC/dy_i = 4 sum_j (exaggeration p_ij - q_ij) w_ij (y_i - y_j),  q_ij = w_ij / Z,
 * w_ij = 1 / (1 + |y_i - y_j|^2), Z = sum_{k != l} w_kl. Not for large n.
 */
export function exactGradient(
  affinities: SparseAffinities,
  y: Float64Array,
  exaggeration: number,
): Float64Array {
  const { n, rowStart, columns, values } = affinities;
  const z = normalisation(y, n);
  const gradient = new Float64Array(2 * n);
  // row i of P, scattered into a dense row (O(n) memory, cleared after use)
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) row[columns[e]!] = values[e]!;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = y[2 * i]! - y[2 * j]!;
      const dy = y[2 * i + 1]! - y[2 * j + 1]!;
      const w = 1 / (1 + dx * dx + dy * dy);
      const coefficient = (exaggeration * row[j]! - w / z) * w;
      gradient[2 * i] = gradient[2 * i]! + 4 * coefficient * dx;
      gradient[2 * i + 1] = gradient[2 * i + 1]! + 4 * coefficient * dy;
    }
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) row[columns[e]!] = 0;
  }
  return gradient;
}

/**
 * t-SNE's cost, KL(P || Q) = sum_{p_ij > 0} p_ij log(p_ij / q_ij) in nats, computed exactly in
 * O(n^2 + entries). Zero when the layout reproduces P; it never goes negative.
 */
export function klDivergence(affinities: SparseAffinities, y: Float64Array): number {
  const { n, rowStart, columns, values } = affinities;
  const z = normalisation(y, n);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let e = rowStart[i]!; e < rowStart[i + 1]!; e++) {
      const j = columns[e]!;
      const pij = values[e]!;
      if (pij <= 0) continue;
      const dx = y[2 * i]! - y[2 * j]!;
      const dy = y[2 * i + 1]! - y[2 * j + 1]!;
      const q = 1 / (1 + dx * dx + dy * dy) / z;
      kl += pij * Math.log(pij / q);
    }
  }
  return kl;
}

/** Z = sum over ordered pairs i != j of 1 / (1 + |y_i - y_j|^2). */
function normalisation(y: Float64Array, n: number): number {
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = y[2 * i]! - y[2 * j]!;
      const dy = y[2 * i + 1]! - y[2 * j + 1]!;
      z += 1 / (1 + dx * dx + dy * dy);
    }
  }
  return z;
}
