import { createEmbeddings, criticalValueRadii } from "@lacuna/core";
import { random } from "@lacuna/core/testing";
import { describe, expect, it } from "vitest";
import { centredFloat32 } from "../centre.js";
import { rowBlocks } from "../radii-blocks.js";
import type { GemmStats } from "../rerank.js";
import { nativeGemmRadii } from "./native-gemm.js";
import { nativeRuntime } from "./ort-runtime.js";

/**
 * n rows: `distinct` random rows far from the origin (coordinates in [offset, offset + 1)), each
 * row one of them plus uniform noise of width `noise`: near-identical rows, tiny but non-zero
 * distances (in float32, `noise` must exceed the spacing of float32 values near `offset`).
 */
function nearIdentical(
  n: number,
  d: number,
  distinct: number,
  offset: number,
  noise: number,
  float32: boolean,
) {
  const rnd = random(n + d + distinct);
  const centres = Float64Array.from({ length: distinct * d }, () => offset + rnd());
  const data = float32 ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = i % distinct;
    for (let t = 0; t < d; t++) data[i * d + t] = centres[c * d + t]! + noise * (rnd() - 0.5);
  }
  return createEmbeddings(data, n, d);
}

describe("nativeGemmRadii on near-identical rows", () => {
  it.each([
    // one row plus 1e-9 noise (float64), one float32 row plus a few hundred ulps, 20 groups
    [1500, 16, 1, 0, 1e-9, false, 10],
    [1500, 48, 1, 100, 1e-3, true, 5],
    [1600, 24, 20, 3, 1e-7, false, 20],
  ])(
    "re-ranks a few candidates a row, not all (n %i, d %i, %i distinct rows at %d + %d noise, float32 %s, k %i)",
    async (n, d, distinct, offset, noise, float32, k) => {
      const runtime = await nativeRuntime(1);
      // onnxruntime-node is optional; CI installs it, so there it must load
      if (!runtime.ok) {
        expect(process.env.CI).not.toBe("true");
        return;
      }
      const embeddings = nearIdentical(n, d, distinct, offset, noise, float32);
      const [block] = rowBlocks(
        embeddings,
        k,
        new SharedArrayBuffer(4),
        {
          kind: "native-gemm",
          threads: 1,
        },
        n,
      );
      if (block?.task.kind !== "native-gemm") throw new Error("expected one native-gemm block");
      const stats: GemmStats = { reranked: 0 };
      const radii = await nativeGemmRadii(block.task, stats);
      expect(Array.from(radii)).toEqual(Array.from(criticalValueRadii(embeddings, k)));
      // uncentred, the float32 bound ruled out nothing on the one-row cases: n (n - 1) candidates
      expect(stats.reranked).toBeGreaterThanOrEqual(n * k);
      expect(stats.reranked).toBeLessThan(n * 4 * k);
    },
  );
});

describe("centredFloat32", () => {
  it("moves every distance by at most its shift (float32 data far from the origin)", () => {
    const rnd = random(7);
    const n = 200;
    const d = 9;
    const data = Float32Array.from({ length: n * d }, () => 1e6 + rnd() * 3);
    const { points, shift } = centredFloat32(data, n, d);
    for (let i = 0; i < n; i += 7) {
      for (let j = 0; j < n; j += 3) {
        let exact = 0;
        let moved = 0;
        for (let t = 0; t < d; t++) {
          exact += (data[i * d + t]! - data[j * d + t]!) ** 2;
          moved += (points[i * d + t]! - points[j * d + t]!) ** 2;
        }
        expect(Math.abs(Math.sqrt(moved) - Math.sqrt(exact))).toBeLessThanOrEqual(shift);
      }
    }
    // the copy's norms are the spread (about 1.5 a coordinate), not 1e6
    expect(Math.max(...Array.from(points, Math.abs))).toBeLessThan(2);
  });
});
