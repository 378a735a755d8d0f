import { classColour, rampColour } from "@lacuna/core/palette";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ScatterPoints, colourBuckets, drawPoints, hexToRgb, radiusRange } from "./draw.js";

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

/** The parts of a 2-D context drawPoints uses, recording where rings were drawn. */
function fakeContext(width: number, height: number) {
  const rings: [number, number][] = [];
  const context = {
    canvas: { width, height },
    createImageData: (w: number, h: number) => ({
      width: w,
      height: h,
      data: new Uint8ClampedArray(4 * w * h),
    }),
    putImageData: () => undefined,
    beginPath: () => undefined,
    moveTo: () => undefined,
    arc: (x: number, y: number) => rings.push([x, y]),
    stroke: () => undefined,
    save: () => undefined,
    restore: () => undefined,
    setLineDash: () => undefined,
    strokeRect: () => undefined,
    fillText: () => undefined,
  };
  return { context: context as unknown as CanvasRenderingContext2D, rings };
}

describe("drawPoints", () => {
  const theme = { background: "#ffffff", ring: "#000000", text: "#111111" };
  // points on a diagonal 0..9, every third flagged, labels alternating 0 and 1
  const p = points(
    Array.from({ length: 10 }, (_, i) => i % 2),
    Array.from({ length: 10 }, (_, i) => i),
    Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? 1 : 0)),
  );
  const draw = (view: { scale: number; x: number; y: number }, cls: number | null) => {
    const { context, rings } = fakeContext(200, 200);
    const drawn = drawPoints(context, 200, 200, p, colourBuckets(p, "label"), view, {
      colour: "label",
      cls,
      box: null,
      theme,
    });
    return { drawn, rings };
  };

  it("counts the rings it draws: every flagged point when all are on screen", () => {
    const { drawn, rings } = draw({ scale: 20, x: 5, y: 195 }, null);
    expect(drawn.ringed).toBe(4);
    // each ring around a flagged point (0, 3, 6, 9), where the view puts it
    expect(rings).toEqual([0, 3, 6, 9].map((i) => [5 + 20 * i, 195 - 20 * i]));
  });

  it("counts only the rings drawn when a class is chosen or the view leaves points out", () => {
    expect(draw({ scale: 20, x: 5, y: 195 }, 0).drawn.ringed).toBe(2); // 0 and 6
    const zoomed = draw({ scale: 100, x: 5, y: 195 }, null);
    expect(zoomed.drawn.ringed).toBe(1); // only point 0 is on screen
    expect(zoomed.rings).toHaveLength(1);
  });
});
