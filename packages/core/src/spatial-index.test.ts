import { describe, expect, it } from "vitest";
import { createEmbeddings } from "./embeddings.js";
import { leafRadii } from "./leaf-knn.js";
import { buildSpatialIndex, leafSizeFor } from "./spatial-index.js";
import { random } from "./testing.js";

function data(n: number, d: number, f32: boolean): Float32Array | Float64Array {
  const out = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
  const rand = random(17);
  for (let i = 0; i < out.length; i++) out[i] = rand();
  return out;
}

describe("buildSpatialIndex", () => {
  it("builds the same index from float32 data as from its float64 widening, in low and high d", () => {
    for (const d of [3, 40]) {
      const x32 = data(600, d, true);
      const a = buildSpatialIndex(createEmbeddings(x32, 600, d), leafSizeFor(5));
      const b = buildSpatialIndex(createEmbeddings(Float64Array.from(x32), 600, d), leafSizeFor(5));
      expect(a).toEqual(b);
    }
  });

  it("puts the points in shared memory when asked, and changes nothing else", () => {
    const embeddings = createEmbeddings(data(500, 8, false), 500, 8);
    const shared = buildSpatialIndex(embeddings, leafSizeFor(4), true);
    const plain = buildSpatialIndex(embeddings, leafSizeFor(4));
    expect(shared.points.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(plain.points.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(shared.points)).toEqual(Array.from(plain.points));
    expect(Array.from(shared.order)).toEqual(Array.from(plain.order));
  });

  it("keeps float32 points when narrow (half the bytes, the same values and radii)", () => {
    for (const d of [4, 40]) {
      const x32 = data(700, d, true);
      const embeddings = createEmbeddings(x32, 700, d);
      const narrow = buildSpatialIndex(embeddings, leafSizeFor(6), true, true);
      const wide = buildSpatialIndex(embeddings, leafSizeFor(6), true);
      expect(narrow.points).toBeInstanceOf(Float32Array);
      expect(narrow.points.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(narrow.points.byteLength).toBe(wide.points.byteLength / 2);
      expect(Array.from(narrow.points)).toEqual(Array.from(wide.points));
      expect({ ...narrow, points: null }).toEqual({ ...wide, points: null });
      const leaves = narrow.leafStart.length - 1;
      expect(Array.from(leafRadii(narrow, 6, 0, leaves))).toEqual(
        Array.from(leafRadii(wide, 6, 0, leaves)),
      );
    }
  });

  it("ignores narrow for float64 data (its values may not fit a float32)", () => {
    const index = buildSpatialIndex(createEmbeddings(data(300, 5, false), 300, 5), 64, false, true);
    expect(index.points).toBeInstanceOf(Float64Array);
  });
});
