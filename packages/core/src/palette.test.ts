import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLASS_COLOURS, UNLABELLED_COLOUR, classColour } from "./palette.js";

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
});
