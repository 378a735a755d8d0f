import {
  crossCoverage,
  crossCoverageFromRadii,
  crossNearestNeighbours,
  criticalValueRadii,
  type Embeddings,
  InvalidEmbeddingsError,
  InvalidParameterError,
  prepareCrossCoverage,
} from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelledError, KnnPool } from "./pool.js";

/** k-th neighbour distance of each row of a row-major n x k distance table. */
function kth(distances: Float64Array, k: number): Float64Array {
  const out = new Float64Array(distances.length / k);
  for (let i = 0; i < out.length; i++) out[i] = distances[i * k + k - 1]!;
  return out;
}

describe("KnnPool.crossNeighbours", () => {
  let pool: KnnPool;
  beforeAll(() => {
    pool = new KnnPool({ threads: 2 });
  });
  afterAll(() => pool.close());

  const cases: [string, Embeddings, Embeddings, number][] = [
    // duplicates within and ties on a coarse grid: the order of equal distances matters
    [
      "low d with duplicates and grid ties",
      randomEmbeddings(1500, 4, 1, { duplicateRate: 0.3, grid: 5 }),
      randomEmbeddings(700, 4, 2, { grid: 5 }),
      7,
    ],
    [
      "float32, above the balls' dimension",
      randomEmbeddings(900, 40, 3, { float32: true }),
      randomEmbeddings(300, 40, 4, { float32: true }),
      5,
    ],
    // core searches by brute force above PARTITION_MAX_DIMENSIONS; the pool's leaves must agree
    [
      "above the partition's dimensions",
      randomEmbeddings(300, 150, 16),
      randomEmbeddings(90, 150, 17),
      3,
    ],
    [
      "k = 1, a query smaller than one leaf",
      randomEmbeddings(400, 3, 5),
      randomEmbeddings(3, 3, 6),
      1,
    ],
  ];

  it.each(cases)(
    "equals core's crossNearestNeighbours to the bit: %s",
    async (_, ref, query, k) => {
      const got = await pool.crossNeighbours(ref, query, k);
      const want = crossNearestNeighbours(ref, query, k);
      expect(got.n).toBe(query.n);
      expect(got.k).toBe(k);
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(Array.from(got.distances)).toEqual(Array.from(want.distances));
    },
  );

  it("gives crossCoverage's radii and flagged rows exactly (the server's path)", async () => {
    const ref = randomEmbeddings(1200, 6, 7, { duplicateRate: 0.1 });
    const query = randomEmbeddings(500, 6, 8);
    for (const method of ["adaptive", "naive"] as const) {
      const options = { k: 4, percent: 0.1, method };
      const space = prepareCrossCoverage(ref, query, options);
      const nearest = await pool.crossNeighbours(space.reference, space.query, 4);
      const fromPool = crossCoverageFromRadii(
        space,
        criticalValueRadii(space.reference, 4),
        kth(nearest.distances, 4),
      );
      const whole = crossCoverage(ref, query, options);
      expect(Array.from(fromPool.criticalValueRadii)).toEqual(Array.from(whole.criticalValueRadii));
      expect(Array.from(fromPool.uncoveredIndices)).toEqual(Array.from(whole.uncoveredIndices));
      expect(fromPool.coverageRadius).toBe(whole.coverageRadius);
    }
  });

  it("reports progress in query rows, never backwards, ending at the query's size", async () => {
    const query = randomEmbeddings(2000, 5, 10);
    const seen: number[] = [];
    await pool.crossNeighbours(randomEmbeddings(800, 5, 9), query, 3, {
      onProgress: (done, total) => {
        expect(total).toBe(2000);
        seen.push(done);
      },
    });
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    expect(seen.at(-1)).toBe(2000);
  });

  it("stops when its signal aborts (here after the first block) and the pool then works on", async () => {
    const ref = randomEmbeddings(3000, 6, 11);
    const query = randomEmbeddings(3000, 6, 12);
    const controller = new AbortController();
    let reports = 0;
    const running = pool.crossNeighbours(ref, query, 5, {
      signal: controller.signal,
      onProgress: () => {
        reports++;
        controller.abort();
      },
    });
    await expect(running).rejects.toThrow(CancelledError);
    expect(reports).toBe(1);
    const small = randomEmbeddings(50, 6, 13);
    const after = await pool.crossNeighbours(ref, small, 5);
    expect(Array.from(after.distances)).toEqual(
      Array.from(crossNearestNeighbours(ref, small, 5).distances),
    );
  });

  it("refuses an aborted signal, k outside [1, reference rows] and other widths before any work", async () => {
    const ref = randomEmbeddings(20, 3, 14);
    await expect(
      pool.crossNeighbours(ref, ref, 2, { signal: AbortSignal.abort() }),
    ).rejects.toThrow(CancelledError);
    await expect(pool.crossNeighbours(ref, ref, 21)).rejects.toThrow(InvalidParameterError);
    await expect(pool.crossNeighbours(ref, ref, 0)).rejects.toThrow(InvalidParameterError);
    await expect(pool.crossNeighbours(ref, randomEmbeddings(5, 4, 15), 1)).rejects.toThrow(
      InvalidEmbeddingsError,
    );
  });
});
