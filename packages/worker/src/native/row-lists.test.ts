import { random } from "@lacuna/core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RowLists } from "./row-lists.js";

/** A symmetric matrix of values on a coarse grid (ties are common) and the rows' norms. */
function matrix(n: number, seed: number): { dist: Float64Array; norms: Float64Array } {
  const rnd = random(seed);
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) dist[i * n + j] = dist[j * n + i] = Math.floor(rnd() * 8);
  const norms = Float64Array.from({ length: n }, () => Math.floor(rnd() * 4));
  return { dist, norms };
}

/** shifted[r w + c] = dist(a + r, j0 + c) - norms[a + r]: |x_j|^2 - 2 x_i . x_j, as the Gemm gives. */
function shiftedBlock(
  dist: Float64Array,
  norms: Float64Array,
  n: number,
  a: number,
  m: number,
  j0: number,
  w: number,
): Float32Array {
  const shifted = new Float32Array(m * w);
  for (let r = 0; r < m; r++)
    for (let c = 0; c < w; c++) shifted[r * w + c] = dist[(a + r) * n + j0 + c]! - norms[a + r]!;
  return shifted;
}

/** Each row's kept values are its smallest, and every value not kept is at least dropped(). */
function expectSmallest(lists: RowLists, dist: Float64Array, n: number, keep: number): void {
  const values = new Float64Array(2 * keep);
  const columns = new Int32Array(2 * keep);
  for (let i = 0; i < n; i++) {
    const count = lists.read(i, values, columns);
    expect(count).toBeGreaterThanOrEqual(keep);
    const kept = Array.from(columns.subarray(0, count));
    // each kept value is its column's, no column twice, never the row itself
    kept.forEach((j, p) => expect(values[p]).toBe(dist[i * n + j]));
    expect(new Set(kept).size).toBe(count);
    expect(kept).not.toContain(i);
    // the kept are the smallest: every other column is at least the bound on the dropped
    const others = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
    for (const j of others)
      if (!kept.includes(j)) expect(dist[i * n + j]).toBeGreaterThanOrEqual(lists.dropped(i));
    const want = others.map((j) => dist[i * n + j]!).sort((x, y) => x - y);
    const got = Array.from(values.subarray(0, count)).sort((x, y) => x - y);
    expect(got.slice(0, keep)).toEqual(want.slice(0, keep));
  }
}

/** Row i's list as [value, column] pairs in list order (what the two scans must agree on). */
function listOf(lists: RowLists, i: number): number[][] {
  const values = new Float64Array(2 * lists.keep);
  const columns = new Int32Array(2 * lists.keep);
  const count = lists.read(i, values, columns);
  return Array.from({ length: count }, (_, p) => [values[p]!, columns[p]!]);
}

describe("RowLists", () => {
  it("keeps each row's smallest values of a symmetric matrix scanned block by block, the SIMD scan as the JavaScript one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 11 }),
        (n, keep0, blockRows, seed, tile) => {
          const keep = Math.min(keep0, n - 1);
          const { dist, norms } = matrix(n, seed);
          const simd = new RowLists(n, keep, tile);
          const plain = new RowLists(n, keep, tile, false);
          for (let a = 0; a < n; a += blockRows) {
            const m = Math.min(blockRows, n - a);
            const shifted = shiftedBlock(dist, norms, n, a, m, a, n - a);
            simd.scan(shifted, a, m, norms);
            plain.scan(shifted, a, m, norms);
          }
          expectSmallest(simd, dist, n, keep);
          // the same columns noted in the same order: the same lists, value for value
          for (let i = 0; i < n; i++) expect(listOf(simd, i)).toEqual(listOf(plain, i));
        },
      ),
    );
  });

  it("keeps each row's smallest values from block pairs scanned in any order (scanDiagonal, scanPair)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (n, keep0, blockRows, seed, simd) => {
          const keep = Math.min(keep0, n - 1);
          const { dist, norms } = matrix(n, seed);
          const lists = new RowLists(n, keep, 5, simd);
          const starts = Array.from({ length: Math.ceil(n / blockRows) }, (_, b) => b * blockRows);
          const pairs = starts.flatMap((a, I) => starts.slice(I).map((j0) => [a, j0] as const));
          // any order: shuffled by the seed
          const rnd = random(seed + 1);
          for (let p = pairs.length - 1; p > 0; p--) {
            const q = Math.floor(rnd() * (p + 1));
            [pairs[p], pairs[q]] = [pairs[q]!, pairs[p]!];
          }
          for (const [a, j0] of pairs) {
            const m = Math.min(blockRows, n - a);
            const w = Math.min(blockRows, n - j0);
            // a wider stride than the block, with the block at an offset, as a bigger Gemm gives
            const stride = w + 3;
            const block = shiftedBlock(dist, norms, n, a, m, j0, w);
            const shifted = new Float32Array(m * stride).fill(-1e30);
            for (let r = 0; r < m; r++)
              shifted.set(block.subarray(r * w, (r + 1) * w), r * stride + 2);
            if (a === j0) lists.scanDiagonal(shifted.subarray(2), stride, a, m, norms);
            else lists.scanPair(shifted, stride, 2, a, m, j0, w, norms);
          }
          expectSmallest(lists, dist, n, keep);
        },
      ),
    );
  });
});
