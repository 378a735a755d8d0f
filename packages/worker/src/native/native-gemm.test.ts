import { criticalValueRadii } from "@lacuna/core";
import { nearIdenticalEmbeddings, random } from "@lacuna/core/testing";
import { describe, expect, it } from "vitest";
import { centredFloat32 } from "../centre.js";
import { rowBlocks } from "../radii-blocks.js";
import type { GemmStats } from "../rerank.js";
import { nativeCopiesMade, nativeGemmRadii } from "./native-gemm.js";
import { nativeRuntime } from "./ort-runtime.js";

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
      const embeddings = nearIdenticalEmbeddings(n, d, n + d, { distinct, offset, noise, float32 });
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

describe("nativeGemmRadii across the blocks of one call", () => {
  it("centres the data once a call, though each message brings a new SharedArrayBuffer object", async () => {
    const runtime = await nativeRuntime(1);
    if (!runtime.ok) {
      expect(process.env.CI).not.toBe("true");
      return;
    }
    const embeddings = nearIdenticalEmbeddings(600, 12, 5, { distinct: 30, offset: 0, noise: 0.1 });
    const kernel = { kind: "native-gemm", threads: 1 } as const;
    const blocks = rowBlocks(embeddings, 5, new SharedArrayBuffer(4), kernel, 200);
    const before = nativeCopiesMade();
    const radii: number[] = [];
    for (const block of blocks) {
      if (block.task.kind !== "native-gemm") throw new Error("expected native-gemm blocks");
      // what a worker thread receives: the task through structured clone (a new buffer object)
      radii.push(...(await nativeGemmRadii(structuredClone(block.task))));
    }
    expect(nativeCopiesMade() - before).toBe(1);
    expect(radii).toEqual(Array.from(criticalValueRadii(embeddings, 5)));
    // another call (new data id) makes its own copy
    const [again] = rowBlocks(embeddings, 5, new SharedArrayBuffer(4), kernel, 600);
    if (again?.task.kind !== "native-gemm") throw new Error("expected a native-gemm block");
    await nativeGemmRadii(structuredClone(again.task));
    expect(nativeCopiesMade() - before).toBe(2);
  });
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
