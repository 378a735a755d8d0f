import { CoverageMethod, type CoverageResult } from "@lacuna/client";
import { coverageAdaptiveFromRadii } from "@lacuna/core";
import type { GridOrder } from "./url-state.js";

/** The parts of a coverage result the explorer works from (rows are positions in `indices`). */
export interface RunResult {
  readonly method: CoverageMethod;
  readonly coverageRadius: number;
  readonly radii: Float64Array;
  /** Dataset index of each row. */
  readonly indices: Int32Array;
  /** Label of each row; null for unlabelled data. */
  readonly labels: readonly (number | null)[];
  /** How many rows the server flagged. */
  readonly uncoveredCount: number;
}

/** The explorer's view of a coverage result: its rows as typed arrays. */
export function runResultOf(result: CoverageResult): RunResult {
  return {
    method: result.method,
    coverageRadius: result.coverageRadius,
    radii: Float64Array.from(result.criticalValueRadii),
    indices: Int32Array.from(result.indices),
    labels: result.labels,
    uncoveredCount: result.uncoveredCount,
  };
}

/** Every flagged row, and each row's rank by radius. */
export interface Flagged {
  /** Flagged rows by decreasing radius (equal radii: later row first, the server's rank order). */
  readonly byRadius: Int32Array;
  /** The same rows by dataset index, ascending (naive coverage's own order). */
  readonly byIndex: Int32Array;
  /** Whether each row is flagged. */
  readonly mask: Uint8Array;
  /** 1-based rank of each row among all radii (1 = largest), as the server's `rank`. */
  readonly rank: Int32Array;
}

/**
 * The flagged rows of a result, all of them (not a first page): adaptive coverage flags the
 * `uncoveredCount` largest radii in rank order; naive flags every radius above the coverage radius
 * (its count is checked against the server's, so a disagreement shows instead of hiding).
 * @throws Error when naive's count differs from `uncoveredCount`
 */
export function flaggedRows(result: RunResult): Flagged {
  const n = result.radii.length;
  // adaptive coverage flagging everything lists every row in its rank order (core's, the server's)
  const order = coverageAdaptiveFromRadii(result.radii, 1).uncoveredIndices;
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[order[i]!] = i + 1;
  let byRadius: Int32Array;
  if (result.method === CoverageMethod.Adaptive) {
    byRadius = order.slice(0, Math.min(result.uncoveredCount, n));
  } else {
    byRadius = order.filter((row) => result.radii[row]! > result.coverageRadius);
    if (byRadius.length !== result.uncoveredCount) {
      throw new Error(
        `the result flags ${result.uncoveredCount} samples but ${byRadius.length} radii exceed its coverage radius`,
      );
    }
  }
  const mask = new Uint8Array(n);
  for (const row of byRadius) mask[row] = 1;
  const byIndex = Int32Array.from(byRadius).sort((a, b) => result.indices[a]! - result.indices[b]!);
  return { byRadius, byIndex, mask, rank };
}

/** What narrows the grid: a class, and the rows inside the scatter's selection. */
export interface RowFilter {
  readonly cls: number | null;
  /** 1 for each row inside the box selection; null when nothing is selected. */
  readonly selected: Uint8Array | null;
}

/** The flagged rows in the grid's order that pass the filter. */
export function visibleRows(
  flagged: Flagged,
  labels: readonly (number | null)[],
  order: GridOrder,
  filter: RowFilter,
): Int32Array {
  const rows = order === "index" ? flagged.byIndex : flagged.byRadius;
  if (filter.cls === null && filter.selected === null) return rows;
  return rows.filter(
    (row) =>
      (filter.cls === null || labels[row] === filter.cls) &&
      (filter.selected === null || filter.selected[row] === 1),
  );
}

/** One page of a list: 0-based `start` inclusive to `end` exclusive, and the page it really is. */
export interface PageWindow {
  readonly page: number;
  readonly pages: number;
  readonly start: number;
  readonly end: number;
  /** "showing 41-80 of 250", or "none to show". */
  readonly text: string;
}

/**
 * The window of page `page` (0-based) of `total` items, `size` a page; a page past the end is the
 * last page (a link to page 9 of a shorter list still shows something).
 */
export function pageWindow(total: number, page: number, size: number): PageWindow {
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const start = Math.min(p * size, total);
  const end = Math.min(start + size, total);
  const text = total === 0 ? "none to show" : `showing ${start + 1}-${end} of ${total}`;
  return { page: p, pages, start, end, text };
}

/** Per-class numbers of the rows passing a selection (all rows when `selected` is null). */
export interface ClassCount {
  readonly cls: number;
  readonly count: number;
  readonly flagged: number;
}

/** Samples and flagged samples of each class (ascending by class) among the selected rows. */
export function classCounts(
  labels: readonly (number | null)[],
  flaggedMask: Uint8Array,
  selected: Uint8Array | null,
): ClassCount[] {
  const counts = new Map<number, { count: number; flagged: number }>();
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row];
    if (label === null || label === undefined) continue;
    if (selected !== null && selected[row] !== 1) continue;
    let c = counts.get(label);
    if (!c) counts.set(label, (c = { count: 0, flagged: 0 }));
    c.count++;
    c.flagged += flaggedMask[row]!;
  }
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([cls, c]) => ({ cls, count: c.count, flagged: c.flagged }));
}

/**
 * Where the current row sits in `rows`, and its neighbours there (for previous/next in the
 * detail); `position` is -1 when the row is not in the list (a neighbour that is not flagged).
 */
export function stepIn(
  rows: Int32Array,
  row: number,
): { position: number; previous: number | null; next: number | null } {
  const position = rows.indexOf(row);
  if (position < 0) return { position, previous: null, next: null };
  return {
    position,
    previous: position > 0 ? rows[position - 1]! : null,
    next: position + 1 < rows.length ? rows[position + 1]! : null,
  };
}
