import { describe, expect, it } from "vitest";
import { createEmbeddings } from "./embeddings.js";
import { buildSpatialIndex, leafSizeFor } from "./spatial-index.js";

function data(n: number, d: number, f32: boolean): Float32Array | Float64Array {
  const out = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
  let s = 17;
  for (let i = 0; i < out.length; i++) out[i] = (s = (s * 48271) % 2147483647) / 2147483647;
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
});
