import { describe, expect, it } from "vitest";
import { createEmbeddings } from "./embeddings.js";
import { ValuesTooLargeError } from "./errors.js";
import { criticalValueRadii } from "./knn.js";
import { assertNoOverflow, ensureUnitInterval } from "./unit-interval.js";

const huge = (values: number[]) => createEmbeddings(Float64Array.from(values), values.length, 1);

describe("ensureUnitInterval with huge finite values", () => {
  it("rescales values near +/-1.7e308 into [0, 1] in order, instead of every value 0", () => {
    const m = Number.MAX_VALUE;
    const forced = ensureUnitInterval(huge([-m, -m / 2, 0, m / 4, m]), true);
    expect(Array.from(forced.data)).toEqual([0, 0.25, 0.5, 0.625, 1]);
    const radii = criticalValueRadii(forced, 1);
    expect(radii.every((r) => r > 0 && Number.isFinite(r))).toBe(true);
  });

  it("leaves ordinary data bit-identical to (x - min) / (max - min)", () => {
    const forced = ensureUnitInterval(huge([-3, 1.5, 7]), true);
    expect(Array.from(forced.data)).toEqual([0, 4.5 / 10, 1]);
  });
});

describe("assertNoOverflow", () => {
  it("passes data of any sensible scale and refuses values whose squares overflow", () => {
    expect(() => assertNoOverflow(huge([1e100, -1e100, 3]))).not.toThrow();
    expect(() => assertNoOverflow(huge([1e300, 0]))).toThrow(ValuesTooLargeError);
    expect(() => assertNoOverflow(huge([-1.7e308, 0]))).toThrow(/found 1\.7e\+308/);
  });
});
