/**
 * Brute-force references for issue 17's definitions, written from the issue's text with plain
 * double loops over all pairs (not from the implementations they check). Distances as core
 * defines them: Math.sqrt of the float64 sum over dimensions, in order, of squared differences.
 */
import fc from "fast-check";
import { createEmbeddings, type Embeddings } from "../embeddings.js";
import { random } from "./random.js";

/** Distance between row i of a and row j of b. */
export function dist(a: Embeddings, i: number, b: Embeddings, j: number): number {
  let s = 0;
  for (let t = 0; t < a.d; t++) {
    const diff = a.data[i * a.d + t]! - b.data[j * b.d + t]!;
    s += diff * diff;
  }
  return Math.sqrt(s);
}

/** For each query row: all reference rows sorted by (distance, index). */
export function sortedNeighbours(reference: Embeddings, query: Embeddings): [number, number][][] {
  const out: [number, number][][] = [];
  for (let i = 0; i < query.n; i++) {
    const row: [number, number][] = [];
    for (let j = 0; j < reference.n; j++) row.push([dist(query, i, reference, j), j]);
    row.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    out.push(row);
  }
  return out;
}

/** Distance of each query row to its k-th nearest reference row, nothing excluded. */
export function bruteCrossRadii(reference: Embeddings, query: Embeddings, k: number): number[] {
  return sortedNeighbours(reference, query).map((row) => row[k - 1]![0]);
}

/** Query rows with radius > R, by decreasing radius, ties larger index first. */
export function bruteExceeding(radii: ArrayLike<number>, R: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < radii.length; i++) if (radii[i]! > R) rows.push(i);
  return rows.sort((a, b) => radii[b]! - radii[a]! || b - a);
}

/** k minus the number of rows of `within` (other than row `self` of the same set) at distance <= R of row i of `from`, at least 0. */
export function bruteDeficit(
  from: Embeddings,
  i: number,
  within: Embeddings,
  R: number,
  k: number,
  self: boolean,
): number {
  let count = 0;
  for (let j = 0; j < within.n; j++) {
    if (self && j === i) continue;
    if (dist(from, i, within, j) <= R) count++;
  }
  return Math.max(0, k - count);
}

/** The plain greedy of issue 17: full recomputation of every gain at every step. */
export function naiveGreedy(
  deficits: readonly number[],
  reach: readonly (readonly number[])[],
  budget: number,
): { selected: number[]; remaining: number[] } {
  const remaining = [...deficits];
  const selected: number[] = [];
  const taken = new Set<number>();
  while (selected.length < budget) {
    let best = -1;
    let bestGain = 0;
    for (let p = 0; p < reach.length; p++) {
      if (taken.has(p)) continue;
      const gain = reach[p]!.filter((u) => remaining[u]! > 0).length;
      if (gain > bestGain) {
        bestGain = gain;
        best = p;
      }
    }
    if (best < 0) break;
    taken.add(best);
    selected.push(best);
    for (const u of reach[best]!) if (remaining[u]! > 0) remaining[u]!--;
  }
  return { selected, remaining };
}

/** Two sets of one width with shared rows (copies across the sets) and grid ties, in [0, 1). */
export function twoSets(limits: {
  readonly maxN: number;
  readonly maxD: number;
}): fc.Arbitrary<{ a: Embeddings; b: Embeddings }> {
  return fc
    .record({
      na: fc.integer({ min: 2, max: limits.maxN }),
      nb: fc.integer({ min: 1, max: limits.maxN }),
      d: fc.integer({ min: 1, max: limits.maxD }),
      seed: fc.integer(),
      dupRate: fc.double({ min: 0, max: 0.6, noNaN: true }),
      grid: fc.boolean(),
    })
    .map(({ na, nb, d, seed, dupRate, grid }) => {
      const rand = random(seed);
      const value = () => (grid ? Math.floor(rand() * 4) / 4 : rand());
      const a = new Float64Array(na * d);
      for (let i = 0; i < na; i++) {
        if (i > 0 && rand() < dupRate) {
          const src = Math.floor(rand() * i);
          a.copyWithin(i * d, src * d, src * d + d);
        } else for (let t = 0; t < d; t++) a[i * d + t] = value();
      }
      const b = new Float64Array(nb * d);
      for (let i = 0; i < nb; i++) {
        if (rand() < dupRate) {
          const src = Math.floor(rand() * na);
          b.set(a.subarray(src * d, src * d + d), i * d);
        } else for (let t = 0; t < d; t++) b[i * d + t] = value();
      }
      return { a: createEmbeddings(a, na, d), b: createEmbeddings(b, nb, d) };
    });
}
