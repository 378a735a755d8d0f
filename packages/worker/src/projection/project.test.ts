import {
  createEmbeddings,
  InvalidEmbeddingsError,
  InvalidParameterError,
  NonFiniteValueError,
} from "@lacuna/core";
import { describe, expect, it } from "vitest";
import { gaussianClusters } from "./clusters.js";
import { type ProjectionMethod, resolveProjection } from "./options.js";
import { projectEmbeddings } from "./project.js";

/** The fraction of points whose nearest other point in the plane has their label. */
function neighbourAgreement(coordinates: Float64Array, labels: Int32Array): number {
  const n = labels.length;
  let same = 0;
  for (let i = 0; i < n; i++) {
    let best = Number.POSITIVE_INFINITY;
    let nearest = -1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = coordinates[2 * i]! - coordinates[2 * j]!;
      const dy = coordinates[2 * i + 1]! - coordinates[2 * j + 1]!;
      if (dx * dx + dy * dy < best) {
        best = dx * dx + dy * dy;
        nearest = j;
      }
    }
    if (labels[nearest] === labels[i]) same++;
  }
  return same / n;
}

/** The smallest distance between two clusters' centroids over the largest RMS radius of a cluster. */
function separation(coordinates: Float64Array, labels: Int32Array, clusters: number): number {
  const cx = new Float64Array(clusters);
  const cy = new Float64Array(clusters);
  const size = new Float64Array(clusters);
  labels.forEach((c, i) => {
    cx[c] = cx[c]! + coordinates[2 * i]!;
    cy[c] = cy[c]! + coordinates[2 * i + 1]!;
    size[c] = size[c]! + 1;
  });
  for (let c = 0; c < clusters; c++) {
    cx[c] = cx[c]! / size[c]!;
    cy[c] = cy[c]! / size[c]!;
  }
  const spread = new Float64Array(clusters);
  labels.forEach((c, i) => {
    spread[c] =
      spread[c]! +
      ((coordinates[2 * i]! - cx[c]!) ** 2 + (coordinates[2 * i + 1]! - cy[c]!) ** 2) / size[c]!;
  });
  let closest = Number.POSITIVE_INFINITY;
  for (let a = 0; a < clusters; a++) {
    for (let b = a + 1; b < clusters; b++) {
      closest = Math.min(closest, Math.hypot(cx[a]! - cx[b]!, cy[a]! - cy[b]!));
    }
  }
  return closest / Math.sqrt(Math.max(...spread));
}

describe("projectEmbeddings", () => {
  // 3 well-separated Gaussian clusters of 100 points in 10-D
  const { embeddings, labels } = gaussianClusters(300, 10, 3, 11);

  it.each(["tsne", "umap", "pca"] as ProjectionMethod[])(
    "keeps well-separated clusters apart (%s)",
    (method) => {
      const coordinates = projectEmbeddings(embeddings, method, { seed: 3 });
      expect(coordinates.length).toBe(600);
      expect(neighbourAgreement(coordinates, labels)).toBeGreaterThan(0.95);
      expect(separation(coordinates, labels, 3)).toBeGreaterThan(4);
    },
  );

  it("refuses bad input and parameters with typed errors naming the value", () => {
    const two = createEmbeddings(new Float64Array([0, 1, 2, 3]), 2, 2);
    expect(() => projectEmbeddings(two, "pca")).toThrow(
      "a 2-D projection needs at least 3 samples; received n = 2",
    );
    expect(() => projectEmbeddings(two, "tsne")).toThrow(InvalidEmbeddingsError);
    const bad = new Float64Array(12);
    bad[7] = Number.NaN;
    expect(() => projectEmbeddings({ data: bad, n: 4, d: 3 }, "umap")).toThrow(NonFiniteValueError);
    expect(() => projectEmbeddings({ data: new Float64Array(10), n: 4, d: 3 }, "pca")).toThrow(
      InvalidEmbeddingsError,
    );
    expect(() => projectEmbeddings(embeddings, "mds" as ProjectionMethod)).toThrow(
      'method must be one of tsne, umap, pca; received "mds"',
    );
    expect(() => projectEmbeddings(embeddings, "tsne", { perplexity: -3 })).toThrow(
      InvalidParameterError,
    );
    expect(() => projectEmbeddings(embeddings, "tsne", { perplexity: Infinity })).toThrow(
      "perplexity must be a finite number >= 1; received Infinity",
    );
    expect(() => projectEmbeddings(embeddings, "umap", { iterations: 0 })).toThrow(
      InvalidParameterError,
    );
    expect(() => projectEmbeddings(embeddings, "pca", { seed: 0.5 })).toThrow(
      InvalidParameterError,
    );
  });

  it("resolves defaults and clamps for small n", () => {
    expect(resolveProjection(embeddings, "tsne")).toEqual({
      method: "tsne",
      seed: 0,
      perplexity: 30,
      nNeighbors: 15,
      iterations: 1000,
    });
    const ten = createEmbeddings(
      new Float64Array(20).map((_, i) => i * i),
      10,
      2,
    );
    expect(resolveProjection(ten, "tsne", { perplexity: 50 }).perplexity).toBe(3);
    expect(resolveProjection(ten, "umap", { seed: 9 })).toMatchObject({
      nNeighbors: 9,
      iterations: 500,
    });
    expect(resolveProjection(ten, "pca", { iterations: 40 }).iterations).toBe(1);
  });
});
