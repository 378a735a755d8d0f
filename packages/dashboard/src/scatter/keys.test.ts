import { describe, expect, it } from "vitest";
import { keyAction, stepPosition } from "./keys.js";

describe("scatter keys", () => {
  it("map arrows, zoom, reset, stepping, open and clear; other keys are left alone", () => {
    expect(keyAction("ArrowLeft")).toEqual({ kind: "pan", dx: 40, dy: 0 });
    expect(keyAction("ArrowDown")).toEqual({ kind: "pan", dx: 0, dy: -40 });
    expect(keyAction("=")).toEqual(keyAction("+"));
    expect(keyAction("-")).toEqual({ kind: "zoom", factor: 1 / 1.5 });
    expect(keyAction("n")).toEqual({ kind: "step", direction: 1 });
    expect(keyAction("Enter")).toEqual({ kind: "open" });
    expect(keyAction("Tab")).toBeNull();
    expect(keyAction("a")).toBeNull();
  });

  it("steps from nothing to an end and wraps around at both ends", () => {
    expect(stepPosition(-1, 1, 5)).toBe(0);
    expect(stepPosition(-1, -1, 5)).toBe(4);
    expect(stepPosition(4, 1, 5)).toBe(0);
    expect(stepPosition(0, -1, 5)).toBe(4);
    expect(stepPosition(2, 1, 5)).toBe(3);
  });
});
