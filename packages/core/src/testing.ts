/**
 * @lacuna/core/testing: the one seeded generator, the test data built on it and brute-force
 * references (plain double loops over all pairs) for every
 * package's suites (core's, the worker's, the server's), so that no suite writes its own.
 * Pure and dependency-free like the rest of core; not part of core's root API.
 */
import { createEmbeddings, type Embeddings } from "./embeddings.js";

/**
 * A seeded xorshift32 generator of numbers in [0, 1) with 2^-32 resolution: the same seed, the
 * same sequence (seed taken modulo 2^32; 0 behaves as 1). For tests and benchmarks, not for
 * cryptography or statistics that need a long period.
 */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** How `randomEmbeddings` draws its rows. */
export interface RandomEmbeddingsOptions {
  /** Store as Float32Array (what encoders produce); default Float64Array. */
  readonly float32?: boolean;
  /** Chance, in [0, 1), that a row (after the first) copies an earlier one exactly; default 0. */
  readonly duplicateRate?: number;
  /**
   * Values on a grid of this many steps in [0, 1) (many equal distances: ties exact kNN must
   * order); 0, the default, for uniform values.
   */
  readonly grid?: number;
}

/**
 * n x d embeddings in [0, 1) from `random(seed)`, optionally with exact duplicate rows and values on
 * a coarse grid: the data exact kNN finds hardest to order. Deterministic for a seed and options.
 */
export function randomEmbeddings(
  n: number,
  d: number,
  seed: number,
  options: RandomEmbeddingsOptions = {},
): Embeddings {
  const rand = random(seed);
  const { duplicateRate = 0, grid = 0 } = options;
  const data = options.float32 ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (i > 0 && duplicateRate > 0 && rand() < duplicateRate) {
      const source = Math.floor(rand() * i);
      data.copyWithin(i * d, source * d, source * d + d);
      continue;
    }
    for (let t = 0; t < d; t++)
      data[i * d + t] = grid > 0 ? Math.floor(rand() * grid) / grid : rand();
  }
  return createEmbeddings(data, n, d);
}

/*
 * Brute-force references for issue 17's definitions, written from the issue's text with plain
 * double loops over all pairs (not from the implementations they check), for every package's
 * suites. Distances as core defines them: Math.sqrt of the float64 sum over dimensions, in order,
 * of squared differences.
 */

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

/** How `nearIdenticalEmbeddings` draws its rows. */
export interface NearIdenticalOptions {
  /** Distinct base rows; default 1. */
  readonly distinct?: number;
  /** Added to every base coordinate (base rows lie in [offset, offset + 1)); default 0. */
  readonly offset?: number;
  /** Width of the uniform noise added to a base row (centred on it); default 1e-9. */
  readonly noise?: number;
  /** Exact copies of each noisy row, consecutive (the last run cut at n); default 1. */
  readonly copies?: number;
  /** Store as Float32Array; default Float64Array (in float32, `noise` must exceed the spacing
   * of float32 values near `offset` to leave distinct rows). */
  readonly float32?: boolean;
}

/**
 * n x d near-identical rows: each a base row (of `distinct`, in turn) plus tiny noise, repeated
 * `copies` times: distances tiny but non-zero between noisy rows, exactly 0 between copies. The
 * data that made the GEMM's float32 bound and the partition's pruning fail (issue 16, item 7).
 * Deterministic for a seed and options.
 */
export function nearIdenticalEmbeddings(
  n: number,
  d: number,
  seed: number,
  options: NearIdenticalOptions = {},
): Embeddings {
  const { distinct = 1, offset = 0, noise = 1e-9, copies = 1 } = options;
  const rand = random(seed);
  const base = Float64Array.from({ length: distinct * d }, () => offset + rand());
  const data = options.float32 ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    if (i % copies !== 0) {
      data.copyWithin(i * d, (i - 1) * d, i * d);
      continue;
    }
    const b = (i / copies) % distinct;
    for (let t = 0; t < d; t++) data[i * d + t] = base[b * d + t]! + noise * (rand() - 0.5);
  }
  return createEmbeddings(data, n, d);
}
