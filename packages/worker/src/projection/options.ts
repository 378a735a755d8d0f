import {
  createEmbeddings,
  type Embeddings,
  InvalidEmbeddingsError,
  InvalidParameterError,
} from "@lacuna/core";

/** The 2-D projections Lacuna computes. */
export type ProjectionMethod = "tsne" | "umap" | "pca";
export const PROJECTION_METHODS: readonly ProjectionMethod[] = ["tsne", "umap", "pca"];

/** Fewer samples than this have no meaningful neighbourhood structure to project. */
export const MIN_PROJECTION_SAMPLES = 3;
export const DEFAULT_PERPLEXITY = 30;
export const DEFAULT_TSNE_ITERATIONS = 1000;
export const DEFAULT_UMAP_NEIGHBORS = 15;
/** Upper bound on t-SNE iterations and UMAP epochs: a guard against typos, not a tuning limit. */
export const MAX_ITERATIONS = 100_000;

/** What a caller may set; every field is optional and validated by resolveProjection. */
export interface ProjectionParameters {
  /** Seeds every random choice (initialisation, UMAP's negative sampling); an integer from 0 to 2^32 - 1, default 0. */
  readonly seed?: number;
  /** t-SNE only: the effective number of neighbours, a finite number >= 1, default 30; lowered to (n - 1) / 3 (not below 1) for small n. */
  readonly perplexity?: number;
  /** UMAP only: neighbours of each point's fuzzy set, self included; an integer >= 2, default 15, lowered to n - 1. */
  readonly nNeighbors?: number;
  /** t-SNE iterations (default 1000) or UMAP epochs (default: umapEpochs(n)); an integer from 1 to 100 000. PCA ignores it. */
  readonly iterations?: number;
}

/** The parameters as they will run: defaults filled in, clamps applied. */
export interface ResolvedProjection {
  readonly method: ProjectionMethod;
  readonly seed: number;
  readonly perplexity: number;
  readonly nNeighbors: number;
  /** Iterations or epochs the progress counts to; 1 for PCA. */
  readonly iterations: number;
}

/**
 * Checks a projection request before any work and fills in its defaults: the embeddings (shape,
 * finiteness, n >= 3), the method and every parameter.
 * @throws InvalidEmbeddingsError (bad shape, n < 3), NonFiniteValueError, InvalidParameterError
 */
export function resolveProjection(
  embeddings: Embeddings,
  method: ProjectionMethod,
  parameters: ProjectionParameters = {},
): ResolvedProjection {
  if (!PROJECTION_METHODS.includes(method)) {
    throw new InvalidParameterError("method", method, `one of ${PROJECTION_METHODS.join(", ")}`);
  }
  validateProjectionInput(embeddings);
  const { n } = embeddings;
  const seed = resolveSeed(parameters.seed);
  const perplexity = resolvePerplexity(parameters.perplexity, n);
  const nNeighbors = resolveNeighbours(parameters.nNeighbors, n);
  const iterations =
    method === "pca"
      ? 1
      : resolveIterations(
          parameters.iterations,
          method === "tsne" ? DEFAULT_TSNE_ITERATIONS : umapEpochs(n),
        );
  return { method, seed, perplexity, nNeighbors, iterations };
}

/**
 * Checks that the embeddings are a finite n x d array with n >= 3.
 * @throws InvalidEmbeddingsError, NonFiniteValueError
 */
export function validateProjectionInput(embeddings: Embeddings): void {
  createEmbeddings(embeddings.data, embeddings.n, embeddings.d);
  if (embeddings.n < MIN_PROJECTION_SAMPLES) {
    throw new InvalidEmbeddingsError(
      `a 2-D projection needs at least ${MIN_PROJECTION_SAMPLES} samples; received n = ${embeddings.n}`,
    );
  }
}

/** The seed, default 0. @throws InvalidParameterError unless an integer from 0 to 2^32 - 1 */
export function resolveSeed(seed: number | undefined): number {
  if (seed === undefined) return 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new InvalidParameterError("seed", seed, "an integer from 0 to 4294967295");
  }
  return seed;
}

/**
 * The perplexity t-SNE will match: the requested one (default 30), lowered to (n - 1) / 3 (but not
 * below 1) so that its 3 * perplexity nearest neighbours exist. Idempotent.
 * @throws InvalidParameterError unless a finite number >= 1
 */
export function resolvePerplexity(perplexity: number | undefined, n: number): number {
  const value = perplexity ?? DEFAULT_PERPLEXITY;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 1) {
    throw new InvalidParameterError("perplexity", value, "a finite number >= 1");
  }
  return Math.min(value, Math.max(1, (n - 1) / 3));
}

/**
 * UMAP's neighbourhood size, self included: the requested one (default 15) lowered to n - 1.
 * @throws InvalidParameterError unless an integer >= 2
 */
export function resolveNeighbours(nNeighbors: number | undefined, n: number): number {
  const value = nNeighbors ?? DEFAULT_UMAP_NEIGHBORS;
  if (!Number.isInteger(value) || value < 2) {
    throw new InvalidParameterError("nNeighbors", value, "an integer >= 2");
  }
  return Math.min(value, n - 1);
}

/** Iterations or epochs, `fallback` when not given. @throws InvalidParameterError unless an integer from 1 to 100 000 */
export function resolveIterations(iterations: number | undefined, fallback: number): number {
  const value = iterations ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > MAX_ITERATIONS) {
    throw new InvalidParameterError("iterations", value, `an integer from 1 to ${MAX_ITERATIONS}`);
  }
  return value;
}

/**
 * UMAP's default epoch count, umap-js's rule (fewer epochs for larger graphs, whose points each
 * get more updates per epoch): 500 up to 2500 points, 400 up to 5000, 300 up to 7500, then 200.
 */
export function umapEpochs(n: number): number {
  if (n <= 2500) return 500;
  if (n <= 5000) return 400;
  if (n <= 7500) return 300;
  return 200;
}
