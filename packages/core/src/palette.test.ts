import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLASS_COLOURS, UNLABELLED_COLOUR, classColour, rampColour, rgbHex } from "./palette.js";

describe("palette", () => {
  it("gives ten classes ten colours, repeats them after, and unlabelled samples grey", () => {
    const hexes = Array.from({ length: 10 }, (_, i) => rgbHex(classColour(i)));
    expect(new Set(hexes).size).toBe(10);
    expect(hexes.slice(0, 2)).toEqual(["#4e79a7", "#f28e2b"]);
    expect(classColour(12)).toBe(CLASS_COLOURS[2]);
    expect(classColour(-1)).toBe(CLASS_COLOURS[9]);
    expect(classColour(null)).toBe(UNLABELLED_COLOUR);
    expect(rgbHex(UNLABELLED_COLOUR)).toBe("#808080");
  });

  it("ramps from viridis's purple to its yellow, clamped, through its stops", () => {
    expect(rgbHex(rampColour(0))).toBe("#440154");
    expect(rgbHex(rampColour(0.5))).toBe("#21918c");
    expect(rgbHex(rampColour(1))).toBe("#fde725");
    expect(rampColour(-3)).toEqual(rampColour(0));
    expect(rampColour(7)).toEqual(rampColour(1));
    expect(rampColour(Number.NaN)).toEqual(rampColour(0));
  });

  it("ramps through valid channels, monotonically brighter in green", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const x = rampColour(lo);
          const y = rampColour(hi);
          for (const c of [...x, ...y])
            expect(Number.isInteger(c) && c >= 0 && c <= 255).toBe(true);
          expect(y[1]).toBeGreaterThanOrEqual(x[1]);
        },
      ),
    );
  });
});
