import { type Embeddings } from "@lacuna/core";
import { createRequire } from "node:module";
import type * as MlPca from "ml-pca";
import { validateProjectionInput } from "./options.js";

/**
 * The top two principal components of n x d embeddings (ml-pca's SVD of the centred data, not
 * scaled): row i of the result is (x_i - mean) . (u_1, u_2). Each component's sign is fixed so that
 * its largest-magnitude loading is positive (the first such when tied), which makes the output
 * independent of the SVD's arbitrary signs. With d = 1 the second coordinate is 0; components of
 * zero variance project every row to 0. Deterministic, no seed. ml-pca's SVD rather than its
 * covariance method: about as fast where it matters (the README's Benchmarks have the runs) and it
 * does not square the condition number.
 * @returns n x 2 coordinates, row-major, in the embeddings' units
 * @throws InvalidEmbeddingsError (n < 3), NonFiniteValueError
 */
export function pca(embeddings: Embeddings): Float64Array {
  validateProjectionInput(embeddings);
  const { n, d, data } = embeddings;
  const rows: number[][] = new Array<number[]>(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(data.subarray(i * d, i * d + d));
  // loaded on first use (its CommonJS build): importing the worker package, as every `lacuna`
  // command does, no longer loads ml-pca and ml-matrix (about 0.1 s with umap-js, umap.ts)
  const { PCA } = createRequire(import.meta.url)("ml-pca") as typeof MlPca;
  const vectors = new PCA(rows, { method: "SVD", center: true, scale: false }).getEigenvectors();
  const components = Math.min(2, vectors.columns);
  const loadings = new Float64Array(2 * d);
  for (let c = 0; c < components; c++) {
    let largest = 0;
    for (let t = 1; t < d; t++) {
      if (Math.abs(vectors.get(t, c)) > Math.abs(vectors.get(largest, c))) largest = t;
    }
    const sign = vectors.get(largest, c) < 0 ? -1 : 1;
    for (let t = 0; t < d; t++) loadings[c * d + t] = sign * vectors.get(t, c);
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] = mean[t]! + data[i * d + t]!;
  for (let t = 0; t < d; t++) mean[t] = mean[t]! / n;
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    for (let t = 0; t < d; t++) {
      const centred = data[i * d + t]! - mean[t]!;
      a += centred * loadings[t]!;
      b += centred * loadings[d + t]!;
    }
    out[2 * i] = a;
    out[2 * i + 1] = b;
  }
  return out;
}
