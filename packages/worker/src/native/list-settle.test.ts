import { random } from "@lacuna/core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shiftedGemmSquaredError } from "../gpu/error-bound.js";
import { exactSquaredDistance, kthSmallest } from "../rerank.js";
import { boundedRadius, type GemmBound } from "./list-settle.js";

describe("boundedRadius", () => {
  it("gives the k-th smallest exact distance for any approximations within the bound, ties included", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(0, 1, 1e2, 1e4, 1e6),
        fc.boolean(),
        fc.constantFrom("random", "at the bound", "grid"),
        fc.constantFrom(0, 0.01, 0.3),
        fc.integer({ min: 0, max: 10_000 }),
        (d, extra, k, normScale, float32, errors, eps, seed) => {
          const rnd = random(seed);
          const n = k + extra + 1;
          const values = Array.from({ length: n * d }, () =>
            errors === "grid" ? Math.floor(rnd() * 3) : rnd() * 4 - 2,
          );
          const data = float32 ? Float32Array.from(values) : Float64Array.from(values);
          const i = 0;
          // the bound's E from made-up norms: 0 (exact values) to far wider than the distances
          const norms = Float64Array.from({ length: n }, () => rnd() * normScale);
          const b: GemmBound = { d, norms, maxNorm: Math.sqrt(Math.max(...norms)), eps };
          const e = shiftedGemmSquaredError(d, Math.sqrt(norms[i]!), b.maxNorm);
          // every other row a candidate, its value anywhere the bounds allow
          const count = n - 1;
          const columns = Int32Array.from({ length: count }, (_, p) => p + 1);
          const exactSq = Float64Array.from(columns, (j) => exactSquaredDistance(data, d, i, j));
          // the distance first moved by up to eps (the centred copy), then its square by up to E
          const within = (bound: number) =>
            errors === "random" ? (rnd() * 2 - 1) * bound : rnd() < 0.5 ? -bound : bound;
          const approx = Float64Array.from(
            exactSq,
            (sq) => Math.max(0, Math.sqrt(sq) + within(eps)) ** 2 + within(e),
          );
          const want = Math.sqrt(kthSmallest(Float64Array.from(exactSq), k - 1));
          const got = boundedRadius(i, k, count, approx, columns, b, data, new Float64Array(count));
          expect(got.radius).toBe(want);
          expect(got.candidates).toBeLessThanOrEqual(count);
          expect(got.candidates).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("measures only the candidates that may be the k-th where the approximations are tight", () => {
    // twenty rows at distances 1..20 along a line, exact approximations (E is tiny): one measured
    const d = 1;
    const data = Float64Array.from({ length: 21 }, (_, j) => j);
    const norms = new Float64Array(21);
    const b: GemmBound = { d, norms, maxNorm: 0, eps: 0 };
    const columns = Int32Array.from({ length: 20 }, (_, p) => p + 1);
    const approx = Float64Array.from(columns, (j) => j * j);
    const got = boundedRadius(0, 7, 20, approx, columns, b, data, new Float64Array(20));
    expect(got).toEqual({ radius: 7, candidates: 1 });
    // with eps as wide as the gaps, the neighbours of the 7th are measured too
    const wide = boundedRadius(
      0,
      7,
      20,
      Float64Array.from(columns, (j) => j * j),
      Int32Array.from({ length: 20 }, (_, p) => p + 1),
      { ...b, eps: 0.6 },
      data,
      new Float64Array(20),
    );
    expect(wide.radius).toBe(7);
    expect(wide.candidates).toBeGreaterThan(1);
  });
});
