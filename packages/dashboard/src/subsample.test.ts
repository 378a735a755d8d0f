import { ProjectionMethod } from "@lacuna/client";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_NONLINEAR_POINTS, needsSubsample, subsampleNote, subsampleRows } from "./subsample.js";

describe("subsample", () => {
  it("is asked for by t-SNE and UMAP above the cap, never by PCA", () => {
    expect(needsSubsample(ProjectionMethod.Tsne, MAX_NONLINEAR_POINTS)).toBe(false);
    expect(needsSubsample(ProjectionMethod.Tsne, MAX_NONLINEAR_POINTS + 1)).toBe(true);
    expect(needsSubsample(ProjectionMethod.Umap, 60_000)).toBe(true);
    expect(needsSubsample(ProjectionMethod.Pca, 1_000_000)).toBe(false);
  });

  it("keeps every flagged row, at most max points, distinct and ascending, spread over the rest", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(1), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 300 }),
        (flags, max) => {
          // dataset indices: not the row numbers, to catch a mix-up
          const indices = Int32Array.from(flags, (_, row) => 1000 + 3 * row);
          const flagged = Uint8Array.from(flags);
          const s = subsampleRows(indices, flagged, max);
          const flaggedTotal = flags.filter((f) => f === 1).length;
          expect(s.indices.length).toBe(Math.min(max, flags.length));
          expect(s.total).toBe(flags.length);
          expect(s.flaggedTotal).toBe(flaggedTotal);
          expect(s.flaggedKept).toBe(Math.min(flaggedTotal, max));
          for (let i = 1; i < s.indices.length; i++)
            expect(s.indices[i]!).toBeGreaterThan(s.indices[i - 1]!);
          const kept = new Set(s.indices);
          const keptFlagged = flags.filter((f, row) => f === 1 && kept.has(indices[row]!)).length;
          expect(keptFlagged).toBe(s.flaggedKept);
          for (const index of s.indices) expect(indices).toContain(index);
        },
      ),
    );
  });

  it("spreads the unflagged points evenly over the selection", () => {
    const n = 60_000;
    const indices = Int32Array.from({ length: n }, (_, i) => i);
    const flagged = new Uint8Array(n);
    for (let i = 0; i < 600; i++) flagged[i * 100] = 1;
    const s = subsampleRows(indices, flagged, 10_000);
    expect(s.indices.length).toBe(10_000);
    expect(s.flaggedKept).toBe(600);
    // each sixth of the selection holds about a sixth of the points
    for (let part = 0; part < 6; part++) {
      const inPart = s.indices.filter((i) => i >= part * 10_000 && i < (part + 1) * 10_000);
      expect(Math.abs(inPart.length - 10_000 / 6)).toBeLessThan(10);
    }
    expect(subsampleNote(s)).toMatch(
      /^showing 10 000 of 60 000 points, every flagged one included/,
    );
    const over = subsampleRows(indices, new Uint8Array(n).fill(1), 10_000);
    expect(subsampleNote(over)).toMatch(
      /^showing 10 000 of 60 000 points, 10 000 of the 60 000 flagged/,
    );
  });
});
