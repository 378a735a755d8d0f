import { random } from "@lacuna/core/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactSquaredDistance, exactSquaredDistances } from "./rerank.js";

describe("exactSquaredDistances", () => {
  it("gives exactSquaredDistance's sums to the bit, four rows at a time and the rest alone", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 11 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (d, count, float32, seed) => {
          const n = 12;
          const rnd = random(seed);
          // values of very different magnitudes: the summation order shows in the last bits
          const values = Array.from({ length: n * d }, () => (rnd() - 0.5) * 10 ** (rnd() * 8 - 4));
          const data = float32 ? Float32Array.from(values) : Float64Array.from(values);
          const i = Math.floor(rnd() * n);
          const rows = Int32Array.from({ length: count }, () => Math.floor(rnd() * n));
          const out = new Float64Array(count);
          exactSquaredDistances(data, d, i, rows, count, out);
          for (let p = 0; p < count; p++)
            expect(Object.is(out[p], exactSquaredDistance(data, d, i, rows[p]!))).toBe(true);
        },
      ),
    );
  });
});
