import type { Embeddings } from "@lacuna/core";
import { type ProjectionMethod, type ProjectionParameters, resolveProjection } from "./options.js";
import { pca } from "./pca.js";
import { tsne } from "./tsne.js";
import { umap } from "./umap.js";

export interface ProjectOptions extends ProjectionParameters {
  /** Called with (iterations or epochs done, their total); PCA reports (1, 1) at the end. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Asked between iterations; true ends the run with ComputationStoppedError. */
  readonly shouldStop?: () => boolean;
}

/**
 * A 2-D projection of n x d embeddings, in this thread: t-SNE (Barnes-Hut, see tsne), UMAP
 * (umap-js, see umap) or PCA (the top two principal components, see pca). The same input, method
 * and seed give bit-identical coordinates. KnnPool.project runs this in a worker.
 * @returns n x 2 coordinates, row-major
 * @throws InvalidEmbeddingsError (bad shape, n < 3), NonFiniteValueError, InvalidParameterError
 *   (unknown method, bad seed, perplexity, nNeighbors or iterations), ComputationStoppedError
 */
export function projectEmbeddings(
  embeddings: Embeddings,
  method: ProjectionMethod,
  options: ProjectOptions = {},
): Float64Array {
  const resolved = resolveProjection(embeddings, method, options);
  const { onProgress, shouldStop } = options;
  switch (resolved.method) {
    case "tsne":
      return tsne(embeddings, {
        perplexity: resolved.perplexity,
        iterations: resolved.iterations,
        seed: resolved.seed,
        onProgress,
        shouldStop,
      });
    case "umap":
      return umap(embeddings, {
        nNeighbors: resolved.nNeighbors,
        epochs: resolved.iterations,
        seed: resolved.seed,
        onProgress,
        shouldStop,
      });
    case "pca": {
      const coordinates = pca(embeddings);
      onProgress?.(1, 1);
      return coordinates;
    }
  }
}
