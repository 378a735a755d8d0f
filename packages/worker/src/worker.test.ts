import { createEmbeddings } from "@lacuna/core";
import { buildSpatialIndex, leafSizeFor } from "@lacuna/core/internal";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PartitionTask, RadiiBlockResult, SharedIndex } from "./protocol.js";
import { shareIndex } from "./shared-index.js";
import run, { heldIndex } from "./worker.js";

function shared(id: number): SharedIndex {
  const n = 300;
  const d = 4;
  const data = Float64Array.from({ length: n * d }, (_, i) => ((i * 7919) % 101) / 101);
  return shareIndex(buildSpatialIndex(createEmbeddings(data, n, d), leafSizeFor(5)), id);
}

function task(index: SharedIndex): PartitionTask {
  const leaves = new Int32Array(index.leafStart).length - 1;
  return {
    kind: "partition",
    cancel: new SharedArrayBuffer(4),
    index,
    k: 5,
    leafA: 0,
    leafB: leaves,
  };
}

describe("the kernel a partition task reports", () => {
  it("is the WebAssembly one where its index fits, the scalar fallback where it does not", async () => {
    const n = 3000;
    const data = Float64Array.from({ length: n * 2 }, (_, i) => ((i * 7919) % 1009) / 1009);
    const embeddings = createEmbeddings(data, n, 2);
    for (const [k, kernel] of [
      [5, "wasm-simd"],
      // one leaf of all 3000 points (4 (k + 1) > n): its hit arrays pass the kernel's 64 MiB
      [1000, "scalar"],
    ] as const) {
      const index = shareIndex(buildSpatialIndex(embeddings, leafSizeFor(k)), 2000 + k);
      const leaves = new Int32Array(index.leafStart).length - 1;
      const result = await run({ ...task(index), k, leafB: leaves });
      expect(result).toMatchObject({ kernel });
    }
  });
});

/** A partition task's result, typed (run answers the union of every kind's). */
async function radiiOf(partition: PartitionTask): Promise<RadiiBlockResult> {
  const result = await run(partition);
  if (typeof result !== "object" || !("radii" in result && "kernel" in result))
    throw new Error("not a radii block's result");
  return result;
}

describe("a narrow (float32) shared index", () => {
  it("gives the float64 index's radii, with the WebAssembly kernel and the scalar fallback", async () => {
    // 2100 rows: at k = 1000 one leaf, whose hits pass the kernel's 64 MiB (the scalar fallback)
    const n = 2100;
    const d = 3;
    const data = Float32Array.from({ length: n * d }, (_, i) => ((i * 7919) % 1009) / 1009);
    const embeddings = createEmbeddings(data, n, d);
    for (const k of [5, 1000]) {
      const narrow = shareIndex(
        buildSpatialIndex(embeddings, leafSizeFor(k), true, true),
        3000 + k,
      );
      const wide = shareIndex(buildSpatialIndex(embeddings, leafSizeFor(k), true), 4000 + k);
      expect(narrow.points.byteLength).toBe(n * d * 4);
      const leaves = new Int32Array(narrow.leafStart).length - 1;
      const a = await radiiOf({ ...task(narrow), k, leafB: leaves });
      const b = await radiiOf({ ...task(wide), k, leafB: leaves });
      expect(a.kernel).toBe(k === 5 ? "wasm-simd" : "scalar");
      expect(Array.from(a.radii)).toEqual(Array.from(b.radii));
    }
  });
});

describe("the worker's partition task", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps its copy of a call's index between tasks and drops it after 5 s without one", async () => {
    vi.useFakeTimers();
    const first = shared(1001);
    await run(task(first)); // its radii: the pool's tests
    expect(heldIndex()).toBe(1001);
    vi.advanceTimersByTime(4000);
    await run(task(first)); // a later task of the same call: the clock starts again
    vi.advanceTimersByTime(4000);
    expect(heldIndex()).toBe(1001);
    await run(task(shared(1002))); // the next call replaces it
    expect(heldIndex()).toBe(1002);
    vi.advanceTimersByTime(5001);
    expect(heldIndex()).toBeUndefined();
  });
});
