/**
 * The exact half of the streamed radii (streamed-radii.ts): each row's candidates, taken from its
 * list, measured exactly in float64 from the source's rows, read again by block pairs.
 */
import { NeighbourHeaps } from "@lacuna/core/internal";
import { exactSquaredDistances, kthSmallest } from "../rerank.js";
import { type GemmBound, listCandidates } from "./list-settle.js";
import type { RowLists } from "./row-lists.js";
import { checkSignal, readRows, type RowSource, type StreamedPlan } from "./streamed-plan.js";

/** What every pass of a streamed call shares. */
export interface Sweep {
  readonly source: RowSource;
  readonly plan: StreamedPlan;
  readonly signal: AbortSignal | undefined;
  /** One block pair done. */
  readonly tick: () => void;
}

/** Every row's candidate columns, ascending, back to back (row i's at offsets[i]..offsets[i + 1]). */
export interface Candidates {
  readonly offsets: Float64Array;
  readonly columns: Int32Array;
  /** Rows whose list may not hold every candidate (none of theirs are in `columns`), ascending. */
  readonly unsettled: Int32Array;
}

/**
 * Each row's candidates from its list (listCandidates: the values under the proven limit), sorted
 * by column so that the block pairs take them in order. Two passes over the lists: the first
 * counts, the second fills arrays of exactly that size.
 */
export function listCandidateRows(lists: RowLists, k: number, bound: GemmBound): Candidates {
  const n = lists.n;
  const capacity = 2 * lists.keep;
  const values = new Float64Array(capacity);
  const columns = new Int32Array(capacity);
  const scratch = new Float64Array(capacity);
  const candidatesOf = (i: number) =>
    listCandidates(
      i,
      k,
      lists.read(i, values, columns),
      lists.dropped(i),
      values,
      columns,
      bound,
      scratch,
    );
  const offsets = new Float64Array(n + 1);
  const unsettled: number[] = [];
  for (let i = 0; i < n; i++) {
    const count = candidatesOf(i);
    if (count === null) unsettled.push(i);
    offsets[i + 1] = offsets[i]! + (count ?? 0);
  }
  const all = new Int32Array(offsets[n]!);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (unsettled[next] === i) {
      next++;
      continue;
    }
    const count = candidatesOf(i)!;
    const row = all.subarray(offsets[i]!, offsets[i]! + count);
    row.set(columns.subarray(0, count));
    row.sort();
  }
  return { offsets, columns: all, unsettled: Int32Array.from(unsettled) };
}

/**
 * Pass 3: the exact squared distance of every (row, candidate) pair, by block pairs as the Gemm
 * went: a held block of rows and, after it in the same buffer, each later chunk, so that
 * exactSquaredDistances reads both rows of a pair from one array. A row's candidates in the held
 * block's columns are taken while it is held (its own rows) or while its chunk streams past (later
 * rows); each row meets its candidates' blocks in column order, so one cursor a row suffices.
 * @returns the radii of the settled rows (0 for the unsettled ones)
 * @throws Error when a row has fewer than k candidates, which a correct bound makes impossible
 */
export async function rerankSweeps(
  sweep: Sweep,
  candidates: Candidates,
  k: number,
): Promise<Float64Array> {
  const { source, plan, signal } = sweep;
  const { n, d } = source;
  const { blockRows, chunkRows } = plan;
  const { offsets, columns } = candidates;
  const buffer =
    source.dtype === "float32"
      ? new Float32Array((blockRows + chunkRows) * d)
      : new Float64Array((blockRows + chunkRows) * d);
  const exact = new Float64Array(columns.length);
  const cursor = offsets.slice(0, n);
  const local = new Int32Array(2 * plan.keep);
  const out = new Float64Array(2 * plan.keep);
  // row r (at buffer row `at`) against its candidates in columns [c0, c1), which sit from
  // buffer row `base` on
  const take = (r: number, at: number, c0: number, c1: number, base: number) => {
    const from = cursor[r]!;
    const end = offsets[r + 1]!;
    let p = from;
    if (p < end && columns[p]! < c0) throw new Error(`row ${r}'s candidates were skipped`);
    let q = 0;
    for (; p < end && columns[p]! < c1; p++) local[q++] = base + columns[p]! - c0;
    if (q === 0) return;
    exactSquaredDistances(buffer, d, at, local, q, out);
    exact.set(out.subarray(0, q), from);
    cursor[r] = p;
  };
  const read = async (a: number, b: number, at: number) => {
    for (let p = a; p < b; p += chunkRows) {
      checkSignal(signal);
      const q = Math.min(b, p + chunkRows);
      await readRows(source, p, q, buffer.subarray((at + p - a) * d));
    }
  };
  for (let i0 = 0; i0 < n; i0 += blockRows) {
    const i1 = Math.min(n, i0 + blockRows);
    await read(i0, i1, 0);
    for (let r = i0; r < i1; r++) take(r, r - i0, i0, i1, 0);
    sweep.tick();
    for (let c0 = i1; c0 < n; c0 += chunkRows) {
      const c1 = Math.min(n, c0 + chunkRows);
      await read(c0, c1, blockRows);
      for (let r = i0; r < i1; r++) take(r, r - i0, c0, c1, blockRows);
      for (let r = c0; r < c1; r++) take(r, blockRows + r - c0, i0, i1, 0);
      sweep.tick();
    }
  }
  const radii = new Float64Array(n);
  let next = 0;
  for (let r = 0; r < n; r++) {
    if (candidates.unsettled[next] === r) {
      next++; // exactRadiiOf's
      continue;
    }
    const from = offsets[r]!;
    const count = offsets[r + 1]! - from;
    if (cursor[r] !== offsets[r + 1])
      throw new Error(`row ${r}'s candidates were not all measured`);
    if (count < k) {
      throw new Error(
        `approximate distances inconsistent with their error bound for row ${r}: ${count} candidates for k = ${k}`,
      );
    }
    radii[r] = Math.sqrt(kthSmallest(exact.subarray(from, from + count), k - 1));
  }
  return radii;
}

/**
 * Pass 4: the radii of `rows` (ascending) from their exact distances to every other row, a
 * held group of them at a time against every chunk, kept in core's bounded heaps: O(rows n d),
 * for the few rows whose lists could not settle.
 */
export async function exactRadiiOf(
  sweep: Sweep,
  rows: Int32Array,
  k: number,
  radii: Float64Array,
): Promise<void> {
  const { source, plan, signal } = sweep;
  const { n, d } = source;
  const { blockRows, chunkRows } = plan;
  if (rows.length === 0) return;
  const buffer =
    source.dtype === "float32"
      ? new Float32Array((blockRows + chunkRows) * d)
      : new Float64Array((blockRows + chunkRows) * d);
  const chunkAt = Int32Array.from({ length: chunkRows }, (_, t) => blockRows + t);
  const out = new Float64Array(chunkRows);
  for (let g0 = 0; g0 < rows.length; g0 += blockRows) {
    const group = rows.subarray(g0, Math.min(rows.length, g0 + blockRows));
    for (let q = 0; q < group.length; q++) {
      checkSignal(signal);
      await readRows(source, group[q]!, group[q]! + 1, buffer.subarray(q * d));
    }
    const heaps = new NeighbourHeaps(group.length, k);
    for (let c0 = 0; c0 < n; c0 += chunkRows) {
      checkSignal(signal);
      const c1 = Math.min(n, c0 + chunkRows);
      await readRows(source, c0, c1, buffer.subarray(blockRows * d));
      for (let q = 0; q < group.length; q++) {
        const r = group[q]!;
        exactSquaredDistances(buffer, d, q, chunkAt, c1 - c0, out);
        for (let t = 0; t < c1 - c0; t++) {
          if (c0 + t !== r && out[t]! <= heaps.bound(q)) heaps.push(q, out[t]!, c0 + t);
        }
      }
      sweep.tick();
    }
    for (let q = 0; q < group.length; q++) radii[group[q]!] = Math.sqrt(heaps.bound(q));
  }
}
