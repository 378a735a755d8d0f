import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLASS_COLOURS, UNLABELLED_COLOUR, classColour, rampColour } from "./palette.js";

describe("palette", () => {
  it("gives ten classes ten distinct colours, none of them the unlabelled grey", () => {
    const colours = Array.from({ length: 10 }, (_, l) => classColour(l));
    expect(new Set(colours).size).toBe(10);
    expect(colours).not.toContain(UNLABELLED_COLOUR);
    for (const c of [...colours, UNLABELLED_COLOUR]) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });

  it("reuses the palette past ten classes and greys out what names no class", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (l) => {
        expect(classColour(l)).toBe(CLASS_COLOURS[l % 10]);
      }),
    );
    for (const bad of [null, -1, 2.5, Number.NaN]) expect(classColour(bad)).toBe(UNLABELLED_COLOUR);
  });

  it("ramps from viridis's purple to its yellow, clamped, through its stops", () => {
    expect(rampColour(0)).toBe("#440154");
    expect(rampColour(0.5)).toBe("#21918c");
    expect(rampColour(1)).toBe("#fde725");
    expect(rampColour(-3)).toBe(rampColour(0));
    expect(rampColour(7)).toBe(rampColour(1));
    expect(rampColour(Number.NaN)).toBe(rampColour(0));
  });

  it("ramps through valid colours, monotonically brighter in green", () => {
    const green = (hex: string) => parseInt(hex.slice(3, 5), 16);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(rampColour(lo)).toMatch(/^#[0-9a-f]{6}$/);
          expect(green(rampColour(hi))).toBeGreaterThanOrEqual(green(rampColour(lo)));
        },
      ),
    );
  });
});
