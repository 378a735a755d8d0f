import { CancelledError, criticalValueRadii, type Embeddings } from "@lacuna/core";
import { nearIdenticalEmbeddings, randomEmbeddings } from "@lacuna/core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { installedRuntime } from "../test-support/onnxruntime.js";
import { RowLists } from "./row-lists.js";
import { streamedRadii } from "./streamed-radii.js";
import {
  planStreamedBlocks,
  type RowSource,
  StreamMemoryError,
  StreamRuntimeError,
} from "./streamed-plan.js";

/**
 * Embeddings as a RowSource that counts what it hands out: each read a copy (so nothing can
 * reach the whole array), the most rows ever read at once, and reads that come back as arrays of
 * their own every other time (sources need not fill the buffer they are given).
 */
function sourceOf(e: Embeddings): RowSource & { mostRows: number; reads: number } {
  const float32 = e.data instanceof Float32Array;
  const source = {
    n: e.n,
    d: e.d,
    dtype: float32 ? ("float32" as const) : ("float64" as const),
    mostRows: 0,
    reads: 0,
    read(a: number, b: number, out?: Float32Array | Float64Array) {
      source.mostRows = Math.max(source.mostRows, b - a);
      const rows = e.data.slice(a * e.d, b * e.d);
      if (out !== undefined && source.reads++ % 2 === 0) {
        out.set(rows);
        return Promise.resolve(out.subarray(0, rows.length));
      }
      return Promise.resolve(rows);
    },
  };
  return source;
}

const same = (e: Embeddings, k: number, radii: Float64Array) =>
  expect(Array.from(radii)).toEqual(Array.from(criticalValueRadii(e, k)));

describe("streamedRadii", () => {
  it.each([
    // n, d, k, block rows, chunk rows, tile rows: blocks that do not divide n, tiles within them
    ["float64 uniform", randomEmbeddings(157, 9, 1), 5, 40, 23, 7],
    ["float32 uniform", randomEmbeddings(203, 33, 2, { float32: true }), 10, 64, 50, 16],
    [
      "grid ties and duplicates",
      randomEmbeddings(180, 6, 3, { grid: 4, duplicateRate: 0.2 }),
      7,
      31,
      17,
      8,
    ],
    ["one block", randomEmbeddings(90, 12, 4), 3, 90, 90, 90],
    ["rows of one", randomEmbeddings(25, 4, 5, { float32: true }), 2, 1, 1, 1],
    [
      "far from the origin",
      nearIdenticalEmbeddings(120, 16, 6, { distinct: 3, offset: 100, noise: 1e-3, copies: 2 }),
      4,
      29,
      41,
      9,
    ],
  ])("equals core's radii to the bit: %s", async (_name, e, k, blockRows, chunkRows, tileRows) => {
    if ((await installedRuntime()) === null) return;
    const source = sourceOf(e);
    const progress: [number, number][] = [];
    const result = await streamedRadii(source, k, {
      blockRows,
      chunkRows,
      tileRows,
      onProgress: (done, total) => progress.push([done, total]),
    });
    same(e, k, result.radii);
    expect(source.mostRows).toBeLessThanOrEqual(Math.max(blockRows, chunkRows));
    // every block pair reported, the last one completing the total
    expect(progress.length).toBeGreaterThan(0);
    const [done, total] = progress[progress.length - 1]!;
    expect(done).toBe(total);
    expect(progress.map(([d]) => d)).toEqual(progress.map((_, i) => i + 1));
  });

  it("settles rows with more than k exact duplicates through the exact pass", async () => {
    if ((await installedRuntime()) === null) return;
    // runs of 50 copies: each row has 49 others at distance 0, past its list's 2K values
    const e = nearIdenticalEmbeddings(200, 8, 7, { distinct: 4, noise: 0.5, copies: 50 });
    const result = await streamedRadii(sourceOf(e), 5, {
      blockRows: 37,
      chunkRows: 19,
      tileRows: 8,
    });
    same(e, 5, result.radii);
    expect(result.unsettled).toBeGreaterThan(0);
  });

  it("matches core on random data, block sizes and k (property)", async () => {
    if ((await installedRuntime()) === null) return;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 12, max: 80 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        async (n, d, k, blockRows, chunkRows, seed, float32) => {
          const e = randomEmbeddings(n, d, seed, { float32, grid: seed % 3 === 0 ? 3 : 0 });
          const kk = Math.min(k, n - 1);
          const { radii } = await streamedRadii(sourceOf(e), kk, {
            blockRows,
            chunkRows,
            tileRows: Math.max(1, blockRows >> 1),
          });
          same(e, kk, radii);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("refuses non-finite values and stops on its signal", async () => {
    if ((await installedRuntime()) === null) return;
    const e = randomEmbeddings(50, 3, 8);
    e.data[37 * 3 + 2] = Number.NaN;
    await expect(streamedRadii(sourceOf(e), 3, { blockRows: 10 })).rejects.toThrow(
      /row 37, column 2/,
    );
    const controller = new AbortController();
    const run = streamedRadii(sourceOf(randomEmbeddings(300, 4, 9)), 3, {
      blockRows: 10,
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(CancelledError);
  });

  it("says why without onnxruntime-node, and writes no second path", async () => {
    const before = process.env.LACUNA_NO_ONNXRUNTIME;
    process.env.LACUNA_NO_ONNXRUNTIME = "1";
    try {
      // a thread count no other test uses: the runtime is loaded once per count
      const run = streamedRadii(sourceOf(randomEmbeddings(20, 2, 1)), 3, { threads: 7 });
      await expect(run).rejects.toThrow(StreamRuntimeError);
      await expect(run).rejects.toThrow(/onnxruntime-node/);
    } finally {
      if (before === undefined) delete process.env.LACUNA_NO_ONNXRUNTIME;
      else process.env.LACUNA_NO_ONNXRUNTIME = before;
    }
  });
});

describe("planStreamedBlocks", () => {
  it("keeps the blocks within the budget and the Gemm within MAX_GEMM_VALUES", () => {
    const n = 200_000;
    const d = 128;
    const budget = (n * d * 4) / 4;
    const plan = planStreamedBlocks(n, d, 20, 4, { memoryBytes: budget });
    const blocks = plan.blockRows * d * 4 + plan.chunkRows * d * 8;
    expect(blocks).toBeLessThanOrEqual(budget);
    expect(plan.blockRows).toBeGreaterThan(plan.chunkRows);
    expect(plan.tileRows * plan.spanColumns).toBeLessThanOrEqual(2 ** 23);
    expect(plan.rowStateBytes).toBe(RowLists.bytes(n, 40) + n * 20);
    // float64 rows: 8 bytes a value held for the re-ranking
    const wide = planStreamedBlocks(n, d, 20, 8, { memoryBytes: budget });
    expect(wide.blockRows * d * 8 + wide.chunkRows * d * 12).toBeLessThanOrEqual(budget);
  });

  it("refuses a budget that holds not one row of each block", () => {
    expect(() => planStreamedBlocks(1000, 100, 5, 4, { memoryBytes: 1000 })).toThrow(
      StreamMemoryError,
    );
    expect(() => planStreamedBlocks(1000, 100, 5, 4, { memoryBytes: 1000 })).toThrow(/--memory/);
  });
});
