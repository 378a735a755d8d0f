import { createEmbeddings } from "@lacuna/core";
import { buildSpatialIndex, leafRadii, leafSizeFor } from "@lacuna/core/internal";
import { nearIdenticalEmbeddings, random, randomEmbeddings } from "@lacuna/core/testing";
import { describe, expect, it } from "vitest";
import { newKernelMemory, PAGE_BYTES } from "./kernel-memory.js";
import { preferNarrow, WasmLeafKernel } from "./wasm-kernel.js";

/** Seeded data on a coarse grid (many equal distances) with exact duplicates, some far points. */
function data(n: number, d: number, seed: number) {
  const values = new Float64Array(n * d);
  const rand = random(seed);
  for (let i = 0; i < n; i++) {
    if (i > 0 && rand() < 0.15) {
      const src = Math.floor(rand() * i);
      values.copyWithin(i * d, src * d, src * d + d);
    } else {
      const far = rand() < 0.02 ? 50 : 0;
      for (let t = 0; t < d; t++) values[i * d + t] = far + Math.floor(rand() * 4) / 4 + (i % 3);
    }
  }
  return createEmbeddings(values, n, d);
}

describe("WasmLeafKernel", () => {
  it.each([
    [900, 10, 20],
    [500, 3, 7],
    [300, 1, 4],
    [600, 40, 5],
    [450, 97, 1],
    [300, 300, 12],
  ])(
    "gives the scalar kernel's radii bit for bit (n %i, d %i, k %i: boxes below 32-d, balls from it)",
    (n, d, k) => {
      const index = buildSpatialIndex(data(n, d, n + d), leafSizeFor(k));
      const leaves = index.leafStart.length - 1;
      const kernel = WasmLeafKernel.create(index);
      expect(kernel).not.toBeNull();
      const scalar = leafRadii(index, k, 0, leaves);
      const viaKernel = leafRadii(index, k, 0, leaves, undefined, kernel ?? undefined);
      expect(Array.from(viaKernel)).toEqual(Array.from(scalar));
      // a block of leaves in the middle, as a pool task sees it
      const a = Math.floor(leaves / 3);
      const b = Math.max(a + 1, Math.floor((2 * leaves) / 3));
      expect(Array.from(leafRadii(index, k, a, b, undefined, kernel ?? undefined))).toEqual(
        Array.from(leafRadii(index, k, a, b)),
      );
    },
  );

  it("keeps a neighbour that sits exactly on a ball's bound", () => {
    // points on one line in 40-d: a leaf's ball then touches its extreme point, the triangle
    // inequality is tight for queries beyond it, and the k-th neighbour of a query near a leaf's
    // edge is often that point: a ball bound too eager by a fraction of the spacing loses it
    const n = 500;
    const d = 40;
    const values = new Float64Array(n * d);
    const rand = random(17);
    for (let i = 0; i < n; i++) values[i * d] = i + 0.3 * rand();
    const index = buildSpatialIndex(createEmbeddings(values, n, d), leafSizeFor(7));
    const kernel = WasmLeafKernel.create(index)!;
    const leaves = index.leafStart.length - 1;
    for (const k of [3, 7, 16]) {
      expect(Array.from(leafRadii(index, k, 0, leaves, undefined, kernel))).toEqual(
        Array.from(leafRadii(index, k, 0, leaves)),
      );
    }
  });

  it("declines an index whose widest leaf would need over 64 MiB of hits (the scalar kernel then)", () => {
    const wide = buildSpatialIndex(data(5000, 3, 2), 4096); // leaves of about 2500 points
    expect(WasmLeafKernel.create(wide)).toBeNull();
    expect(WasmLeafKernel.create(buildSpatialIndex(data(5000, 3, 2), 2000))).not.toBeNull();
  });

  it("leaves padded candidates and partial sums out of the radii", () => {
    // leaf lengths that are not multiples of eight, and a query far from everything (its partial
    // sums stop early): the same radii as the scalar kernel
    const index = buildSpatialIndex(data(203, 33, 7), 64);
    const kernel = WasmLeafKernel.create(index)!;
    const leaves = index.leafStart.length - 1;
    expect(Array.from(leafRadii(index, 3, 0, leaves, undefined, kernel))).toEqual(
      Array.from(leafRadii(index, 3, 0, leaves)),
    );
  });

  it("counts copies at distance 0 instead of comparing them pairwise (12 000 near-identical rows)", () => {
    // one row plus 1e-9 noise in 40-d, each noisy row k + 1 times: every radius is 0, no group
    // collapses (none is over k + 1), and every leaf's ball overlaps every other's. Before a query
    // at bound 0 was settled, the kernel computed 4.2 % of the n^2 distances (6.1 million, 0.44 %
    // settled) and visited 44 500 of the 298 x 298 leaf pairs, ball-testing every query each time
    // (1 271 settled: copies split between two leaves)
    const n = 12000;
    const k = 5;
    const e = nearIdenticalEmbeddings(n, 40, 3, { copies: k + 1 });
    const index = buildSpatialIndex(e, leafSizeFor(k));
    const leaves = index.leafStart.length - 1;
    const kernel = WasmLeafKernel.create(index)!;
    const radii = leafRadii(index, k, 0, leaves, undefined, kernel);
    expect(Array.from(radii)).toEqual(new Array(n).fill(0));
    expect(kernel.evaluations).toBeGreaterThanOrEqual(n * k);
    expect(kernel.evaluations).toBeLessThan(0.01 * n * n);
    expect(kernel.scans).toBeLessThan(10 * leaves);
  });

  it.each([
    [2000, 40, 5, 6, 3], // some groups cut short: settled and unsettled queries share leaves
    [1500, 12, 4, 3, 5], // boxes; every row with fewer than k copies
    [1800, 64, 7, 8, 1],
  ])(
    "gives the scalar kernel's radii on near-identical copies (n %i, d %i, k %i, %i copies, %i distinct)",
    (n, d, k, copies, distinct) => {
      const e = nearIdenticalEmbeddings(n + 3, d, n, { copies, distinct, offset: 5, noise: 1e-7 });
      const index = buildSpatialIndex(e, leafSizeFor(k));
      const kernel = WasmLeafKernel.create(index)!;
      const leaves = index.leafStart.length - 1;
      expect(Array.from(leafRadii(index, k, 0, leaves, undefined, kernel))).toEqual(
        Array.from(leafRadii(index, k, 0, leaves)),
      );
    },
  );

  it.each([
    [true, 10, 7],
    [true, 48, 5],
    [true, 130, 3],
    [false, 10, 7],
    [false, 48, 5],
  ])(
    "stores float32 embeddings as float32 (%s) when asked, by default below 32-d, and gives the scalar kernel's radii (d %i, k %i)",
    (float32, d, k) => {
      const e = randomEmbeddings(700, d, d + k, { float32, duplicateRate: 0.1 });
      const index = buildSpatialIndex(e, leafSizeFor(k));
      const kernel = WasmLeafKernel.create(index, "narrow")!;
      expect(kernel.narrow).toBe(float32);
      expect(WasmLeafKernel.create(index)!.narrow).toBe(float32 && d < 32);
      const leaves = index.leafStart.length - 1;
      expect(Array.from(leafRadii(index, k, 0, leaves, undefined, kernel))).toEqual(
        Array.from(leafRadii(index, k, 0, leaves)),
      );
    },
  );

  it("lays the leaves out once in a shared memory: a second kernel takes only its own scratch", () => {
    const index = buildSpatialIndex(data(3000, 12, 4), leafSizeFor(6));
    const shared = newKernelMemory();
    const first = WasmLeafKernel.create(index, undefined, shared)!;
    const afterFirst = shared.memory.buffer.byteLength;
    const second = WasmLeafKernel.create(index, undefined, shared)!;
    const scratch = shared.memory.buffer.byteLength - afterFirst;
    // the layout (3000 x 12 float32 coordinates, 144 kB and more) is not written again: the second
    // kernel grew the memory by its bounds (8 n bytes) and hit lists only
    expect(scratch).toBeLessThan(afterFirst - 3000 * 12 * 4 + PAGE_BYTES);
    expect(scratch).toBeGreaterThanOrEqual(8 * 3000);
    const leaves = index.leafStart.length - 1;
    const scalar = Array.from(leafRadii(index, 6, 0, leaves));
    const half = Math.floor(leaves / 2);
    // both at once, as two threads: their bounds and hits must not mix
    const a = leafRadii(index, 6, 0, half, undefined, first);
    const b = leafRadii(index, 6, half, leaves, undefined, second);
    expect([...a, ...b]).toEqual(scalar);
    expect(Array.from(leafRadii(index, 6, 0, leaves, undefined, second))).toEqual(scalar);
    // no shared memory (the engine refused one): a memory of its own, the same radii
    const alone = WasmLeafKernel.create(index, undefined, null)!;
    expect(Array.from(leafRadii(index, 6, 0, leaves, undefined, alone))).toEqual(scalar);
  });

  it("prefers float32 storage below 32-d and where a float64 copy would pass 256 MiB a thread", () => {
    expect(preferNarrow(60_000, 10)).toBe(true);
    expect(preferNarrow(20_000, 512)).toBe(false); // 82 MB: speed first
    expect(preferNarrow(1_000_000, 128)).toBe(true); // 1 GB: memory first
  });
});
