import { random } from "@lacuna/core/testing";
import { describe, expect, it } from "vitest";
import { inputAffinities } from "./affinities.js";
import { gaussianClusters } from "./clusters.js";
import { QuadTree } from "./quadtree.js";
import { fillGaussian } from "./random.js";
import { exactGradient, klDivergence } from "./tsne-exact.js";
import { barnesHutGradient } from "./tsne-gradient.js";

const n = 240;
const { embeddings } = gaussianClusters(n, 10, 4, 7);
const affinities = inputAffinities(embeddings, 20);

/** A spread-out layout, with a few coincident points (the quadtree's multi-point leaves). */
function layout(seed: number): Float64Array {
  const y = new Float64Array(2 * n);
  fillGaussian(y, 8, random(seed));
  for (let i = 0; i < 6; i++) y.copyWithin(2 * (100 + i), 2 * 50, 2 * 50 + 2);
  return y;
}

function barnesHut(y: Float64Array, exaggeration: number, theta: number): Float64Array {
  const gradient = new Float64Array(2 * n);
  barnesHutGradient(
    affinities,
    y,
    exaggeration,
    theta,
    new QuadTree(n),
    new Float64Array(2 * n),
    gradient,
  );
  return gradient;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

describe("the Barnes-Hut gradient", () => {
  it.each([1, 12])("equals the exact gradient at theta = 0 (exaggeration %i)", (exaggeration) => {
    for (const seed of [1, 2, 3]) {
      const y = layout(seed);
      const exact = exactGradient(affinities, y, exaggeration);
      const fast = barnesHut(y, exaggeration, 0);
      let worst = 0;
      for (let p = 0; p < 2 * n; p++) worst = Math.max(worst, Math.abs(fast[p]! - exact[p]!));
      expect(worst / maxAbs(exact)).toBeLessThan(1e-9);
    }
  });

  it("stays close to the exact gradient at theta = 0.5", () => {
    const y = layout(4);
    const exact = exactGradient(affinities, y, 1);
    const fast = barnesHut(y, 1, 0.5);
    let error = 0;
    let norm = 0;
    for (let p = 0; p < 2 * n; p++) {
      error += (fast[p]! - exact[p]!) ** 2;
      norm += exact[p]! ** 2;
    }
    expect(Math.sqrt(error / norm)).toBeLessThan(0.05);
    expect(Math.sqrt(error / norm)).toBeGreaterThan(0);
  });

  it("handles a layout where every point coincides", () => {
    const y = new Float64Array(2 * n).fill(0.25);
    const fast = barnesHut(y, 1, 0.5);
    expect(maxAbs(fast)).toBe(0);
  });
});

describe("the exact reference", () => {
  it("is the derivative of the KL divergence (central differences)", () => {
    const y = layout(5);
    const gradient = exactGradient(affinities, y, 1);
    const h = 1e-5;
    for (const p of [0, 1, 37, 211, 2 * n - 1]) {
      const plus = y.slice();
      const minus = y.slice();
      plus[p] = plus[p]! + h;
      minus[p] = minus[p]! - h;
      const numeric = (klDivergence(affinities, plus) - klDivergence(affinities, minus)) / (2 * h);
      expect(Math.abs(numeric - gradient[p]!)).toBeLessThan(1e-5 * maxAbs(gradient));
    }
  });
});
