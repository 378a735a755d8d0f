import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type RunResult,
  classCounts,
  flaggedRows,
  pageWindow,
  stepIn,
  visibleRows,
} from "./flagged.js";

function result(radii: number[], extra: Partial<RunResult> = {}): RunResult {
  return {
    method: "ADAPTIVE",
    coverageRadius: 0,
    radii: Float64Array.from(radii),
    indices: Int32Array.from(radii, (_, i) => 100 + i),
    labels: radii.map((_, i) => i % 3),
    uncoveredCount: 2,
    ...extra,
  };
}

describe("flagged rows", () => {
  it("adaptive: every flagged row, largest radius first, ties later row first, with ranks", () => {
    const f = flaggedRows(result([0.1, 0.9, 0.5, 0.9, 0.2], { uncoveredCount: 3 }));
    expect(Array.from(f.byRadius)).toEqual([3, 1, 2]);
    expect(Array.from(f.byIndex)).toEqual([1, 2, 3]);
    expect(Array.from(f.rank)).toEqual([5, 2, 3, 1, 4]);
    expect(Array.from(f.mask)).toEqual([0, 1, 1, 1, 0]);
  });

  it("naive: the radii above the coverage radius, checked against the server's count", () => {
    const r = result([0.1, 0.9, 0.5, 0.7], { method: "NAIVE", coverageRadius: 0.6 });
    expect(Array.from(flaggedRows(r).byIndex)).toEqual([1, 3]);
    expect(() => flaggedRows({ ...r, uncoveredCount: 3 })).toThrow(/flags 3 samples but 2/);
  });

  it("keeps all of them however many (not a first page of 100)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (radii, p) => {
          const count = Math.max(1, Math.floor(radii.length * p));
          const f = flaggedRows(result(radii, { uncoveredCount: count }));
          expect(f.byRadius.length).toBe(count);
          for (let i = 1; i < count; i++) {
            expect(radii[f.byRadius[i - 1]!]!).toBeGreaterThanOrEqual(radii[f.byRadius[i]!]!);
          }
          // nothing left out is larger than what was flagged
          const smallest = radii[f.byRadius[count - 1]!]!;
          radii.forEach((r, row) => {
            if (!f.mask[row]) expect(r).toBeLessThanOrEqual(smallest);
          });
        },
      ),
    );
  });

  it("filters by class and by the scatter's selection, in either order", () => {
    const r = result([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], { uncoveredCount: 5 });
    const f = flaggedRows(r);
    expect(Array.from(visibleRows(f, r.labels, "radius", { cls: 0, selected: null }))).toEqual([
      0, 3,
    ]);
    const selected = Uint8Array.from([0, 1, 1, 1, 0, 0]);
    expect(Array.from(visibleRows(f, r.labels, "index", { cls: null, selected }))).toEqual([
      1, 2, 3,
    ]);
    expect(Array.from(visibleRows(f, r.labels, "radius", { cls: 2, selected }))).toEqual([2]);
    expect(classCounts(r.labels, f.mask, selected)).toEqual([
      { cls: 0, count: 1, flagged: 1 },
      { cls: 1, count: 1, flagged: 1 },
      { cls: 2, count: 1, flagged: 1 },
    ]);
    expect(classCounts(r.labels, f.mask, null)).toEqual([
      { cls: 0, count: 2, flagged: 2 },
      { cls: 1, count: 2, flagged: 2 },
      { cls: 2, count: 2, flagged: 1 },
    ]);
    expect(classCounts([null, null], new Uint8Array(2), null)).toEqual([]);
  });
});

describe("paging", () => {
  it("says which items show, clamps past the end and handles an empty list", () => {
    expect(pageWindow(250, 0, 40)).toMatchObject({
      start: 0,
      end: 40,
      pages: 7,
      text: "showing 1-40 of 250",
    });
    expect(pageWindow(250, 6, 40)).toMatchObject({
      start: 240,
      end: 250,
      text: "showing 241-250 of 250",
    });
    expect(pageWindow(250, 99, 40).page).toBe(6);
    expect(pageWindow(0, 3, 40)).toMatchObject({
      page: 0,
      pages: 1,
      start: 0,
      end: 0,
      text: "none to show",
    });
  });

  it("covers every item exactly once over its pages", () => {
    fc.assert(
      fc.property(fc.nat(2000), fc.integer({ min: 1, max: 100 }), (total, size) => {
        const { pages } = pageWindow(total, 0, size);
        let seen = 0;
        for (let p = 0; p < pages; p++) {
          const w = pageWindow(total, p, size);
          expect(w.start).toBe(seen);
          seen = w.end;
        }
        expect(seen).toBe(total);
      }),
    );
  });

  it("steps through a list for previous and next", () => {
    const rows = Int32Array.from([4, 9, 2]);
    expect(stepIn(rows, 9)).toEqual({ position: 1, previous: 4, next: 2 });
    expect(stepIn(rows, 4)).toEqual({ position: 0, previous: null, next: 9 });
    expect(stepIn(rows, 7)).toEqual({ position: -1, previous: null, next: null });
  });
});
