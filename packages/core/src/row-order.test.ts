import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gatherRowsInPlace, restoreRowsInPlace } from "./row-order.js";
import { buildSpatialIndex, leafSizeFor } from "./spatial-index.js";
import { randomEmbeddings } from "./testing.js";

/** A permutation of 0 .. n - 1 from fast-check's shuffle of the identity. */
const permutation = fc
  .integer({ min: 1, max: 60 })
  .chain((n) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }));

describe("rows reordered in place", () => {
  it("puts the old row from[p] at row p, as a copy would, and puts them back", () => {
    fc.assert(
      fc.property(permutation, fc.integer({ min: 1, max: 5 }), fc.boolean(), (order, d, wide) => {
        const n = order.length;
        const from = Int32Array.from(order);
        const values = Float64Array.from({ length: n * d }, (_, i) => i + 0.5);
        const original = wide ? values : Float32Array.from(values);
        const data = original.slice();
        gatherRowsInPlace(data, d, from);
        for (let p = 0; p < n; p++)
          expect(Array.from(data.subarray(p * d, p * d + d))).toEqual(
            Array.from(original.subarray(from[p]! * d, from[p]! * d + d)),
          );
        restoreRowsInPlace(data, d, from);
        expect(Array.from(data)).toEqual(Array.from(original));
      }),
    );
  });

  it("follows long cycles and fixed points alike", () => {
    const n = 1000;
    // one cycle through every row, and the identity
    const shift = Int32Array.from({ length: n }, (_, p) => (p + 1) % n);
    const data = Float64Array.from({ length: n * 2 }, (_, i) => i);
    gatherRowsInPlace(data, 2, shift);
    expect(data[0]).toBe(2);
    expect(data[2 * (n - 1)]).toBe(0);
    restoreRowsInPlace(data, 2, shift);
    expect(Array.from(data)).toEqual(Array.from({ length: n * 2 }, (_, i) => i));
    gatherRowsInPlace(
      data,
      2,
      Int32Array.from({ length: n }, (_, p) => p),
    );
    expect(Array.from(data)).toEqual(Array.from({ length: n * 2 }, (_, i) => i));
  });

  it("builds the same index in the embeddings' own array (inPlace), which restore puts back", () => {
    for (const [float32, d] of [
      [true, 40],
      [false, 40],
      [true, 3],
    ] as const) {
      const made = randomEmbeddings(900, d, d, { float32, duplicateRate: 0.05 });
      const copy = buildSpatialIndex(made, leafSizeFor(5), true, true);
      const data = made.data.slice();
      const own = buildSpatialIndex({ ...made, data }, leafSizeFor(5), true, true, true);
      // the points are the array itself, in leaf order; everything else as with a copy
      expect(own.points).toBe(data);
      expect(Array.from(own.points)).toEqual(Array.from(copy.points));
      expect({ ...own, points: null }).toEqual({ ...copy, points: null });
      restoreRowsInPlace(data, d, own.order);
      expect(Array.from(data)).toEqual(Array.from(made.data));
    }
  });

  it("copies where the points would have another type than the embeddings (float32, wide)", () => {
    const made = randomEmbeddings(300, 8, 1, { float32: true });
    const data = made.data.slice();
    const index = buildSpatialIndex({ ...made, data }, leafSizeFor(5), false, false, true);
    expect(index.points).toBeInstanceOf(Float64Array);
    expect(Array.from(data)).toEqual(Array.from(made.data));
  });

  it("puts every array of a shared index in shared memory", () => {
    const index = buildSpatialIndex(randomEmbeddings(500, 40, 3), leafSizeFor(5), true);
    for (const array of [
      index.points,
      index.order,
      index.leafStart,
      index.boxLow,
      index.boxHigh,
      index.centre,
      index.radius,
    ])
      expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
