import {
  collect,
  coverage,
  crossDeficits,
  type Embeddings,
  gapRegions,
  InvalidParameterError,
  selfDeficits,
} from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolCollect } from "./collect-pool.js";
import { poolDeficits } from "./deficit-blocks.js";
import { poolGapRegions } from "./gap-blocks.js";
import { CancelledError, KnnPool } from "./pool.js";

/** A coverage's flagged rows, their deficits and labels: the inputs of gap regions. */
function flaggedOf(e: Embeddings, k: number, percent: number) {
  const result = coverage(e, k, "adaptive", percent);
  const flagged = result.uncoveredIndices;
  const deficits = selfDeficits(e, flagged, result.coverageRadius, k);
  const labels = Array.from({ length: e.n }, (_, i) => i % 3);
  return { flagged, R: result.coverageRadius, deficits, labels };
}

describe("poolGapRegions", () => {
  let pool: KnnPool;
  beforeAll(() => {
    pool = new KnnPool({ threads: 2 });
  });
  afterAll(() => pool.close());

  it("equals core's gapRegions to the bit on random sets (duplicates, ties, link factors)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 8, max: 300 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(0.05, 0.3, 1),
        fc.constantFrom(0.5, 1, 2, 4),
        fc.boolean(),
        async (n, d, seed, percent, linkFactor, grid) => {
          const e = randomEmbeddings(n, d, seed, { duplicateRate: 0.2, grid: grid ? 4 : 0 });
          const k = Math.min(3, n - 1);
          const { flagged, R, deficits, labels } = flaggedOf(e, k, percent);
          const options = { labels, linkFactor };
          const expected = gapRegions(e, flagged, R, deficits, options);
          const got = await poolGapRegions(pool, e, flagged, R, deficits, options);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reports progress for both steps, ending at their totals", async () => {
    const e = randomEmbeddings(600, 6, 7);
    const { flagged, R, deficits } = flaggedOf(e, 5, 1);
    const seen = new Map<string, [number, number]>();
    await poolGapRegions(pool, e, flagged, R, deficits, {
      onProgress: (step, done, total) => seen.set(step, [done, total]),
    });
    expect(seen.get("links")).toEqual([600, 600]);
    const [done, total] = seen.get("medoids")!;
    expect(done).toBe(total);
    expect(total).toBeGreaterThanOrEqual(600);
  });

  it("stops when its signal aborts, refuses bad input before any work, and works on", async () => {
    const e = randomEmbeddings(2000, 8, 3);
    const { flagged, R, deficits } = flaggedOf(e, 5, 1);
    const controller = new AbortController();
    const running = poolGapRegions(pool, e, flagged, R, deficits, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(running).rejects.toThrow(CancelledError);
    await expect(poolGapRegions(pool, e, flagged, R, deficits.subarray(1), {})).rejects.toThrow(
      InvalidParameterError,
    );
    const small = randomEmbeddings(50, 3, 4);
    const f = flaggedOf(small, 3, 0.5);
    expect(await poolGapRegions(pool, small, f.flagged, f.R, f.deficits)).toEqual(
      gapRegions(small, f.flagged, f.R, f.deficits),
    );
  });

  it("finds core's self and cross deficits (duplicates count, a row never counts itself)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 5, max: 200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(0.1, 0.5, 1),
        async (n, d, seed, percent) => {
          const e = randomEmbeddings(n, d, seed, { duplicateRate: 0.3, grid: 3 });
          const q = randomEmbeddings(Math.ceil(n / 2), d, seed + 1, { grid: 3 });
          const k = Math.min(4, n - 1);
          const { flagged, R } = flaggedOf(e, k, percent);
          expect(await poolDeficits(pool, e, e, flagged, R, k)).toEqual(
            selfDeficits(e, flagged, R, k),
          );
          const rows = Int32Array.from({ length: q.n }, (_, i) => q.n - 1 - i);
          expect(await poolDeficits(pool, e, q, rows, R, k)).toEqual(
            crossDeficits(e, q, rows, R, k),
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it("collects as core's collect, to the bit (euclidean and cosine, adaptive and naive)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 10, max: 200 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(0.05, 0.3),
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(
          { method: "adaptive", metric: "euclidean" } as const,
          { method: "naive", metric: "euclidean" } as const,
          { method: "adaptive", metric: "cosine" } as const,
        ),
        async (n, d, seed, percent, budget, how) => {
          // a coarse grid for ties, but none for cosine (a zero row has no direction)
          const grid = how.metric === "cosine" ? 0 : 5;
          const ref = randomEmbeddings(n, d, seed, { duplicateRate: 0.2, grid });
          const candidates = randomEmbeddings(2 * n, d, seed + 7, { grid });
          const k = Math.min(4, n - 1);
          const options = { k, percent, ...how };
          const steps = new Set<string>();
          const got = await poolCollect(pool, ref, candidates, budget, {
            ...options,
            onProgress: (step) => steps.add(step),
          });
          expect(got).toEqual(collect(ref, candidates, budget, options));
          expect(steps.has("reference") && steps.has("recompute")).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });
});
