import { describe, expect, it } from "vitest";
import { PALETTE, classColour, fitToBox } from "./scatter.js";

describe("fitToBox", () => {
  it("keeps the aspect ratio, centres the points and flips y for the screen", () => {
    // a 2 x 1 rectangle into a 100 x 100 box with a 10 px margin: scale 40
    const points = fitToBox([0, 0, 2, 0, 2, 1, 0, 1], 100, 100, 10);
    expect(Array.from(points)).toEqual([10, 70, 90, 70, 90, 30, 10, 30]);
  });

  it("survives a single point and identical points", () => {
    expect(Array.from(fitToBox([3, 3], 50, 50))).toEqual([25, 25]);
    const same = fitToBox([1, 1, 1, 1], 40, 40);
    expect(same.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe("classColour", () => {
  it("gives each of ten classes its own colour and unlabelled samples grey", () => {
    expect(new Set(Array.from({ length: 10 }, (_, i) => classColour(i))).size).toBe(10);
    expect(classColour(12)).toBe(PALETTE[2]);
    expect(classColour(null)).toBe("#888");
  });
});
