import { ComputationStoppedError, criticalValueRadii } from "@lacuna/core";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Embeddings } from "@lacuna/core";
import { nearIdenticalEmbeddings, random, randomEmbeddings } from "@lacuna/core/testing";
import { describe, expect, it } from "vitest";
import { centredFloat32 } from "../centre.js";
import { rowBlocks } from "../radii-blocks.js";
import type { GemmStats } from "../rerank.js";
import {
  nativeCopiesMade,
  nativeGemmRadii,
  prepareNative,
  selectThreadRunning,
} from "./native-gemm.js";
import { SYMMETRIC_MIN_DIMENSIONS } from "../plan.js";
import { installedRuntime } from "../test-support/onnxruntime.js";

describe.each([false, true])(
  "nativeGemmRadii on near-identical rows (symmetric %s)",
  (symmetric) => {
    it.each([
      // one row plus 1e-9 noise (float64), one float32 row plus a few hundred ulps, 20 groups
      [1500, 16, 1, 0, 1e-9, false, 10],
      [1500, 48, 1, 100, 1e-3, true, 5],
      [1600, 24, 20, 3, 1e-7, false, 20],
    ])(
      "re-ranks a few candidates a row, not all (n %i, d %i, %i distinct rows at %d + %d noise, float32 %s, k %i)",
      async (n, d, distinct, offset, noise, float32, k) => {
        if ((await installedRuntime()) === null) return;
        const embeddings = nearIdenticalEmbeddings(n, d, n + d, {
          distinct,
          offset,
          noise,
          float32,
        });
        const [block] = rowBlocks(
          embeddings,
          k,
          new SharedArrayBuffer(4),
          { kind: "native-gemm", threads: 1, symmetric },
          n,
        );
        if (block?.task.kind !== "native-gemm") throw new Error("expected one native-gemm block");
        const stats: GemmStats = { reranked: 0 };
        const radii = await nativeGemmRadii(block.task, stats);
        expect(Array.from(radii)).toEqual(Array.from(criticalValueRadii(embeddings, k)));
        // uncentred, the float32 bound ruled out nothing on the one-row cases: n (n - 1) candidates
        // (at least one a row is measured: boundedRadius measures those that may be the k-th)
        expect(stats.reranked).toBeGreaterThanOrEqual(n);
        expect(stats.reranked).toBeLessThan(n * 4 * k);
      },
    );
  },
);

describe("nativeGemmRadii across the blocks of one call", () => {
  it("centres the data once a call, though each message brings a new SharedArrayBuffer object", async () => {
    if ((await installedRuntime()) === null) return;
    const embeddings = nearIdenticalEmbeddings(600, 12, 5, { distinct: 30, offset: 0, noise: 0.1 });
    const kernel = { kind: "native-gemm", threads: 1, symmetric: true } as const;
    const blocks = rowBlocks(embeddings, 5, new SharedArrayBuffer(4), kernel, 200);
    const before = nativeCopiesMade();
    const stats: GemmStats = { reranked: 0 };
    const radii: number[] = [];
    for (const block of blocks) {
      if (block.task.kind !== "native-gemm") throw new Error("expected native-gemm blocks");
      // what a worker thread receives: the task through structured clone (a new buffer object)
      radii.push(...(await nativeGemmRadii(structuredClone(block.task), stats)));
    }
    expect(nativeCopiesMade() - before).toBe(1);
    // the upper triangle only: 600 x 600, 400 x 400, 200 x 200 of the blocks' columns
    expect(stats.products).toBe(200 * 600 + 200 * 400 + 200 * 200);
    expect(radii).toEqual(Array.from(criticalValueRadii(embeddings, 5)));
    // another call (new data id) makes its own copy
    const [again] = rowBlocks(embeddings, 5, new SharedArrayBuffer(4), kernel, 600);
    if (again?.task.kind !== "native-gemm") throw new Error("expected a native-gemm block");
    await nativeGemmRadii(structuredClone(again.task));
    expect(nativeCopiesMade() - before).toBe(2);
  });

  it("uses the copy a native-prepare task made ahead of the blocks, and makes another once it was released", async () => {
    if ((await installedRuntime()) === null) return;
    const e = randomEmbeddings(300, 20, 6, { float32: true });
    const kernel = { kind: "native-gemm", threads: 1, symmetric: false } as const;
    const [block] = rowBlocks(e, 5, new SharedArrayBuffer(4), kernel, 300);
    if (block?.task.kind !== "native-gemm") throw new Error("expected a native-gemm block");
    const { data, dataId, dtype, n, d } = block.task;
    const prepare = { kind: "native-prepare", threads: 1, data, dataId, dtype, n, d } as const;
    const before = nativeCopiesMade();
    expect(await prepareNative({ ...prepare, release: false })).toBe(true);
    expect(nativeCopiesMade() - before).toBe(1);
    const radii = await nativeGemmRadii(structuredClone(block.task));
    expect(nativeCopiesMade() - before).toBe(1);
    expect(Array.from(radii)).toEqual(Array.from(criticalValueRadii(e, 5)));
    expect(await prepareNative({ ...prepare, release: true })).toBe(false);
    await nativeGemmRadii(structuredClone(block.task));
    expect(nativeCopiesMade() - before).toBe(2);
  });
  it("starts the select thread with a prepare from SYMMETRIC_MIN_DIMENSIONS, and stops it, idle, at the release", async () => {
    if ((await installedRuntime()) === null) return;
    for (const [d, starts] of [
      [SYMMETRIC_MIN_DIMENSIONS - 1, false],
      [SYMMETRIC_MIN_DIMENSIONS, true],
    ] as const) {
      const e = randomEmbeddings(50, d, 9, { float32: true });
      const [block] = rowBlocks(e, 5, new SharedArrayBuffer(4), kernelOf(true), 50);
      if (block?.task.kind !== "native-gemm") throw new Error("expected a native-gemm block");
      const { data, dataId, dtype, n } = block.task;
      const prepare = { kind: "native-prepare", threads: 1, data, dataId, dtype, n, d } as const;
      expect(await prepareNative({ ...prepare, release: false })).toBe(true);
      expect(selectThreadRunning()).toBe(starts);
      await prepareNative({ ...prepare, release: true });
      expect(selectThreadRunning()).toBe(false);
    }
  });
});

/** The native kernel's blocks, symmetric or not. */
function kernelOf(symmetric: boolean) {
  return { kind: "native-gemm", threads: 1, symmetric } as const;
}

describe("the symmetric native kernel", () => {
  const kernel = { kind: "native-gemm", threads: 1, symmetric: true } as const;

  it.each([
    ["uniform 40-d float32", 7, randomEmbeddings(900, 40, 11, { float32: true }), 0.65],
    ["uniform 64-d float64", 20, randomEmbeddings(700, 64, 12), 0.65],
    // a lattice: equal distances everywhere
    ["integer lattice 3-d", 12, latticeEmbeddings(10, 3), 0.65],
    // rows at very different distances from the mean: a column's nearest rows are not the rows
    // with its smallest |x_j|^2 - 2 q . x_j (that ordering is only right along a row)
    ["rows of spread-out norms in 16-d", 10, spreadNorms(randomEmbeddings(600, 16, 14), 6), 0.65],
    // duplicates and ties past K: lists whose dropped values may be under the limit, asked again
    ["a coarse grid in 6-d, duplicates", 15, randomEmbeddings(800, 6, 13, { grid: 3 }), 2],
  ] as const)(
    "equals core to the bit on %s (k %i), block by block in row order",
    async (_, k, e, products) => {
      if ((await installedRuntime()) === null) return;
      const blocks = rowBlocks(e, k, new SharedArrayBuffer(4), kernel, 128);
      const stats: GemmStats = { reranked: 0 };
      const radii: number[] = [];
      for (const block of blocks) {
        if (block.task.kind !== "native-gemm") throw new Error("expected native-gemm blocks");
        radii.push(...(await nativeGemmRadii(structuredClone(block.task), stats)));
      }
      expect(radii).toEqual(Array.from(criticalValueRadii(e, k)));
      // the upper triangle, plus TopK passes for the rows the lists could not settle
      expect(stats.products).toBeLessThan(products * e.n * e.n);
    },
  );

  it("falls back to TopK over all columns for a block that comes out of order", async () => {
    if ((await installedRuntime()) === null) return;
    const e = randomEmbeddings(500, 24, 5);
    const blocks = rowBlocks(e, 9, new SharedArrayBuffer(4), kernel, 100);
    const want = criticalValueRadii(e, 9);
    const stats: GemmStats = { reranked: 0 };
    // blocks 2, 0, 1: block 2 finds no lists at its row, 0 starts them, 1 continues them
    for (const b of [2, 0, 1]) {
      const block = blocks[b]!;
      if (block.task.kind !== "native-gemm") throw new Error("expected native-gemm blocks");
      const radii = await nativeGemmRadii(structuredClone(block.task), stats);
      expect(Array.from(radii)).toEqual(Array.from(want.subarray(b * 100, b * 100 + 100)));
    }
    expect(stats.products).toBe(100 * 500 + 100 * 500 + 100 * 400);
  });

  it("gives core's radii with two blocks in flight (a Gemm while the select thread scans the last)", async () => {
    if ((await installedRuntime()) === null) return;
    const e = randomEmbeddings(900, 48, 21, { float32: true });
    const tasks = rowBlocks(e, 11, new SharedArrayBuffer(4), kernel, 64).map(({ task }) => {
      if (task.kind !== "native-gemm") throw new Error("expected native-gemm blocks");
      return task;
    });
    const stats: GemmStats = { reranked: 0 };
    const inFlight: Promise<Float64Array>[] = [];
    const radii: number[] = [];
    for (const task of tasks) {
      inFlight.push(nativeGemmRadii(structuredClone(task), stats));
      if (inFlight.length === 2) radii.push(...(await inFlight.shift()!));
    }
    for (const left of inFlight) radii.push(...(await left));
    expect(radii).toEqual(Array.from(criticalValueRadii(e, 11)));
    // every block went through the lists: the upper triangle only, no TopK pass
    const triangle = tasks.reduce((s, t) => s + (t.rowB - t.rowA) * (e.n - t.rowA), 0);
    expect(stats.products).toBe(triangle);
  });

  it("stops a cancelled call's blocks, and the next call starts its lists afresh", async () => {
    if ((await installedRuntime()) === null) return;
    const e = randomEmbeddings(600, 32, 22);
    const cancel = new SharedArrayBuffer(4);
    const blocks = rowBlocks(e, 8, cancel, kernel, 100);
    const first = blocks[0]!.task;
    if (first.kind !== "native-gemm") throw new Error("expected native-gemm blocks");
    await nativeGemmRadii(structuredClone(first));
    Atomics.store(new Int32Array(cancel), 0, 1);
    await expect(nativeGemmRadii(structuredClone(blocks[1]!.task as typeof first))).rejects.toThrow(
      ComputationStoppedError,
    );
    const again = rowBlocks(e, 8, new SharedArrayBuffer(4), kernel, 100);
    const radii: number[] = [];
    for (const block of again)
      radii.push(...(await nativeGemmRadii(structuredClone(block.task as typeof first))));
    expect(radii).toEqual(Array.from(criticalValueRadii(e, 8)));
  });

  it("lets the process exit once a call is done (the select thread keeps nothing alive)", async () => {
    if ((await installedRuntime()) === null) return;
    // the built modules, as the pool's threads load them; a hang would be killed at 60 s
    const dist = new URL("../../dist/", import.meta.url).href;
    const script = `
      const { randomEmbeddings } = await import("@lacuna/core/testing");
      const { rowBlocks } = await import("${dist}radii-blocks.js");
      const { nativeGemmRadii } = await import("${dist}native/native-gemm.js");
      const e = randomEmbeddings(300, 40, 3);
      for (const b of rowBlocks(e, 5, new SharedArrayBuffer(4), { kind: "native-gemm", threads: 1, symmetric: true }, 64))
        await nativeGemmRadii(b.task);
      console.log("done");`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.stderr).toBe("");
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe("done");
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

/** Every point of an s^d integer grid: many equal distances (ties at every rank). */
function latticeEmbeddings(s: number, d: number): Embeddings {
  const n = s ** d;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let t = 0, v = i; t < d; t++, v = Math.floor(v / s)) data[i * d + t] = v % s;
  return { n, d, data };
}

/** Row i scaled by 1 + (i mod levels) ^ 2: the rows' norms spread over two orders of magnitude. */
function spreadNorms(e: Embeddings, levels: number): Embeddings {
  const data = Float64Array.from(e.data, (v, p) => v * (1 + (Math.floor(p / e.d) % levels) ** 2));
  return { n: e.n, d: e.d, data };
}
