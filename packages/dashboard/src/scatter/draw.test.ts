import { classColour, rampColour } from "@lacuna/core/palette";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ScatterPoints, colourBuckets, hexToRgb, radiusRange } from "./draw.js";

function points(labels: (number | null)[], radii: number[], flagged: number[]): ScatterPoints {
  return {
    coordinates: labels.flatMap((_, i) => [i, i]),
    indices: labels.map((_, i) => i),
    labels,
    radii: Float64Array.from(radii),
    flagged: Uint8Array.from(flagged),
  };
}

describe("colour buckets", () => {
  it("group every point exactly once, under its own colour", () => {
    const arbitrary = fc.array(
      fc.record({
        label: fc.option(fc.nat(12)),
        radius: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.constant(Number.NaN)),
        flagged: fc.nat(1),
      }),
      { maxLength: 200 },
    );
    fc.assert(
      fc.property(
        arbitrary,
        fc.constantFrom("label" as const, "radius" as const, "flagged" as const),
        (rows, by) => {
          const p = points(
            rows.map((r) => r.label),
            rows.map((r) => r.radius),
            rows.map((r) => r.flagged),
          );
          const b = colourBuckets(p, by);
          expect(Array.from(b.order).sort((x, y) => x - y)).toEqual(rows.map((_, i) => i));
          expect(b.starts[b.colours.length]).toBe(rows.length);
          const [lo, hi] = radiusRange(p.radii);
          b.colours.forEach((colour, bucket) => {
            for (let k = b.starts[bucket]!; k < b.starts[bucket + 1]!; k++) {
              const i = b.order[k]!;
              if (by === "label") expect(colour).toBe(classColour(rows[i]!.label));
              if (by === "flagged") expect(colour).toBe(rows[i]!.flagged ? "#e15759" : "#9aa4b0");
              if (by === "radius" && Number.isFinite(rows[i]!.radius)) {
                const t = Math.round(((rows[i]!.radius - lo) / (hi - lo || 1)) * 31) / 31;
                expect(colour).toBe(rampColour(t));
              }
            }
          });
        },
      ),
    );
  });

  it("reads the page's hex colours, short and long", () => {
    expect(hexToRgb("#fff")).toEqual([255, 255, 255]);
    expect(hexToRgb(" #17181a ")).toEqual([0x17, 0x18, 0x1a]);
    expect(hexToRgb("white")).toEqual([255, 255, 255]);
  });

  it("ranges over finite radii only", () => {
    expect(radiusRange(Float64Array.from([Number.NaN, 2, 0.5]))).toEqual([0.5, 2]);
    expect(radiusRange(Float64Array.from([Number.NaN]))).toEqual([0, 1]);
  });
});
