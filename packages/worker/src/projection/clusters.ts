import type { Embeddings } from "@lacuna/core";
import { fillGaussian, mulberry32 } from "./random.js";

/**
 * Synthetic test and benchmark data: n points in d dimensions around `clusters` centres, point i
 * in cluster i % clusters. Centres are drawn with standard deviation `spread` per coordinate,
 * points around them with standard deviation 1, all from `seed`. With spread 10 in 10-D the
 * clusters are far apart (centre distances around 45, within-cluster radius around 3).
 */
export function gaussianClusters(
  n: number,
  d: number,
  clusters: number,
  seed: number,
  spread = 10,
): { embeddings: Embeddings; labels: Int32Array } {
  const random = mulberry32(seed);
  const centres = new Float64Array(clusters * d);
  fillGaussian(centres, spread, random);
  const noise = new Float64Array(n * d);
  fillGaussian(noise, 1, random);
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    labels[i] = c;
    for (let t = 0; t < d; t++) data[i * d + t] = centres[c * d + t]! + noise[i * d + t]!;
  }
  return { embeddings: { data, n, d }, labels };
}
