import { ComputationStoppedError, type Embeddings } from "@lacuna/core";
import { createRequire } from "node:module";
import type * as UmapJs from "umap-js";
import { exactNeighbours } from "./neighbours.js";
import {
  resolveIterations,
  resolveNeighbours,
  resolveSeed,
  umapEpochs,
  validateProjectionInput,
} from "./options.js";
import { mulberry32 } from "./random.js";

/** UMAP's minimum distance between embedded points (umap-learn's and umap-js's default). */
export const UMAP_MIN_DIST = 0.1;

export interface UmapOptions {
  /** Neighbours per fuzzy set, self included; default 15, lowered to n - 1. */
  readonly nNeighbors?: number;
  /** Optimisation epochs; default umapEpochs(n) (umap-js's own rule). */
  readonly epochs?: number;
  /** Seeds the initial layout and the negative sampling; default 0. */
  readonly seed?: number;
  /** Called after each epoch with (epochs done, epochs). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Asked during the neighbour search and before each epoch; true ends the run with ComputationStoppedError. */
  readonly shouldStop?: () => boolean;
}

/**
 * UMAP (McInnes et al. 2018) of n x d embeddings into the plane, by umap-js 1.4.0 with minDist
 * 0.1, spread 1 and random initialisation, fed the exact nearest neighbours (self first, then
 * @lacuna/core's exact k-NN) instead of its approximate NN-descent: exact, faster at these sizes,
 * and every random draw then comes from `seed` (mulberry32), so the output is bit-identical for a
 * seed. Euclidean metric. Time about O(epochs n nNeighbors) after the O(n^2 d) neighbour search.
 * @returns n x 2 coordinates, row-major (arbitrary units, roughly within +-10 and more)
 * @throws InvalidEmbeddingsError (n < 3), NonFiniteValueError, InvalidParameterError,
 *   ComputationStoppedError when `shouldStop` says so
 */
export function umap(embeddings: Embeddings, options: UmapOptions = {}): Float64Array {
  validateProjectionInput(embeddings);
  const { n, d, data } = embeddings;
  const neighbours = resolveNeighbours(options.nNeighbors, n);
  const epochs = resolveIterations(options.epochs, umapEpochs(n));
  const seed = resolveSeed(options.seed);
  const { shouldStop, onProgress } = options;

  // umap-js counts a point as its own first neighbour, as umap-learn does
  const k = neighbours - 1;
  const { indices, squared } = exactNeighbours(embeddings, k, shouldStop);
  const knnIndices: number[][] = new Array<number[]>(n);
  const knnDistances: number[][] = new Array<number[]>(n);
  const rows: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) {
    const ids = [i];
    const dists = [0];
    for (let t = 0; t < k; t++) {
      ids.push(indices[i * k + t]!);
      dists.push(Math.sqrt(squared[i * k + t]!));
    }
    knnIndices[i] = ids;
    knnDistances[i] = dists;
    rows[i] = Array.from(data.subarray(i * d, i * d + d));
  }
  // loaded on first use (its CommonJS build), as pca.ts loads ml-pca
  const { UMAP } = createRequire(import.meta.url)("umap-js") as typeof UmapJs;
  const model = new UMAP({
    nComponents: 2,
    nNeighbors: neighbours,
    minDist: UMAP_MIN_DIST,
    nEpochs: epochs,
    random: mulberry32(seed),
  });
  model.setPrecomputedKNN(knnIndices, knnDistances);
  const total = model.initializeFit(rows);
  for (let epoch = 0; epoch < total; epoch++) {
    if (shouldStop?.()) throw new ComputationStoppedError();
    model.step();
    onProgress?.(epoch + 1, total);
  }
  const layout = model.getEmbedding();
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const point = layout[i]!;
    out[2 * i] = point[0]!;
    out[2 * i + 1] = point[1]!;
  }
  return out;
}
