import { createEmbeddings, criticalValueRadii, type Embeddings } from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelledError, KnnPool } from "./pool.js";

/** Whether two arrays hold the same values (a boolean: a failure's diff of 32 000 values is slow). */
function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return (
    a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => v === b[i])
  );
}

/** `made`'s values in a SharedArrayBuffer of their own (as readNpyFile makes large arrays). */
function shared(made: Embeddings): Embeddings {
  const data = new Float32Array(new SharedArrayBuffer(made.data.length * 4));
  data.set(made.data);
  return createEmbeddings(data, made.n, made.d);
}

describe("radii with the rows reordered in place (reorderInPlace)", () => {
  let pool: KnnPool;
  beforeAll(() => {
    pool = new KnnPool({ threads: 2 });
  });
  afterAll(() => pool.close());

  it("uses the data's own array as the index's points, and gives its order back", async () => {
    for (const d of [8, 48]) {
      const made = randomEmbeddings(4000, d, d, { float32: true, duplicateRate: 0.02 });
      const data = shared(made);
      let reordered = false;
      const result = await pool.computeRadii(data, 10, {
        kernel: "partition",
        reorderInPlace: true,
        // while blocks run, the rows are in the index's leaf order: no copy of them was made
        onProgress: () => {
          reordered ||= data.data.some((v, i) => v !== made.data[i]);
        },
      });
      expect(reordered).toBe(true);
      expect(same(data.data, made.data)).toBe(true);
      expect(same(result.radii, criticalValueRadii(made, 10))).toBe(true);
    }
  });

  it("leaves data that is not shared, or not asked for, as it is (a copy is indexed)", async () => {
    const made = randomEmbeddings(3000, 8, 3, { float32: true });
    for (const [data, allow] of [
      [createEmbeddings(made.data.slice(), made.n, made.d), true],
      [shared(made), false],
    ] as const) {
      let reordered = false;
      await pool.computeRadii(data, 10, {
        kernel: "partition",
        reorderInPlace: allow,
        onProgress: () => {
          reordered ||= data.data.some((v, i) => v !== made.data[i]);
        },
      });
      expect(reordered).toBe(false);
    }
  });

  it("puts the rows back when the call is cancelled", async () => {
    const made = randomEmbeddings(6000, 16, 5, { float32: true });
    const data = shared(made);
    const controller = new AbortController();
    const call = pool.computeRadii(data, 10, {
      kernel: "partition",
      reorderInPlace: true,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(call).rejects.toBeInstanceOf(CancelledError);
    expect(same(data.data, made.data)).toBe(true);
  });

  // without onnxruntime (optional) the TensorFlow.js GEMM never beats the partition there
  it("puts the rows back before a GEMM reads them, where the full index chose the GEMM", async ({
    skip,
  }) => {
    if (!(await pool.nativeInfo()).available) skip();
    // uniform noise in 120-d: the partition prunes nothing, so the plan takes a GEMM after
    // building the full index (below the share sample's dimensions)
    const made = randomEmbeddings(2500, 120, 9, { float32: true });
    const data = shared(made);
    const result = await pool.computeRadii(data, 10, { reorderInPlace: true });
    expect(result.kernels).not.toContain("wasm-simd");
    expect(same(data.data, made.data)).toBe(true);
    expect(same(result.radii, criticalValueRadii(made, 10))).toBe(true);
  });
});
