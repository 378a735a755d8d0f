import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageDataset } from "../datasets/dataset.js";
import { CacheWriteError } from "./cache.js";
import { type Encode, selectedPixels, selectionEmbeddings } from "./pipeline.js";

/** 6 images of 2 x 2 grey: image i holds the bytes 4i .. 4i + 3. */
const images: ImageDataset = {
  id: "toy",
  name: "toy",
  kind: "idx",
  size: 6,
  imageShape: [2, 2, 1],
  pixels: Uint8Array.from({ length: 24 }, (_, i) => i),
  labels: Int32Array.from([0, 1, 0, 1, 0, 1]),
  classNames: ["a", "b"],
};

/** An encoder that records what it saw and codes each image as its mean byte and its first byte. */
function recordingEncoder(): { encode: Encode; calls: Uint8Array[] } {
  const calls: Uint8Array[] = [];
  const encode: Encode = async (pixels, n) => {
    calls.push(pixels.slice());
    const codes = new Float32Array(n * 2);
    for (let r = 0; r < n; r++) {
      const image = pixels.subarray(r * 4, r * 4 + 4);
      codes[r * 2] = image.reduce((a, b) => a + b, 0) / 4;
      codes[r * 2 + 1] = image[0]!;
    }
    return { codes, d: 2, backend: "toy" };
  };
  return { encode, calls };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-pipeline-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("selectionEmbeddings", () => {
  it("encodes the selected images in order, then reads the same codes back from the cache", async () => {
    const indices = Int32Array.from([4, 1, 3]);
    const { encode, calls } = recordingEncoder();
    const request = { images, indices, modelHash: "m", transforms: "t", cacheDir: dir, encode };
    const first = await selectionEmbeddings(request);
    expect(calls).toHaveLength(1);
    expect(Array.from(calls[0]!)).toEqual(Array.from(selectedPixels(images, indices)));
    expect(Array.from(calls[0]!.subarray(0, 4))).toEqual([16, 17, 18, 19]);
    expect(first).toMatchObject({ n: 3, d: 2, cached: false, backend: "toy" });
    expect(Array.from(first.codes)).toEqual([17.5, 16, 5.5, 4, 13.5, 12]);

    const second = await selectionEmbeddings(request);
    expect(calls).toHaveLength(1);
    expect(second).toMatchObject({ n: 3, d: 2, cached: true, backend: "cache" });
    expect(Array.from(second.codes)).toEqual(Array.from(first.codes));

    // another model, or other indices, miss the cache
    await selectionEmbeddings({ ...request, modelHash: "other" });
    await selectionEmbeddings({ ...request, indices: Int32Array.from([1, 4, 3]) });
    expect(calls).toHaveLength(3);
  });

  it("never touches the cache when cacheDir is null", async () => {
    const { encode, calls } = recordingEncoder();
    const request = {
      images,
      indices: Int32Array.from([0]),
      modelHash: "m",
      transforms: "t",
      cacheDir: null,
      encode,
    };
    await selectionEmbeddings(request);
    const again = await selectionEmbeddings(request);
    expect(calls).toHaveLength(2);
    expect(again.cached).toBe(false);
  });

  it("reports an unwritable cache and still returns the codes, or throws without a reporter", async () => {
    const blocked = join(dir, "blocked");
    await writeFile(blocked, "a file where the cache folder should be");
    const { encode } = recordingEncoder();
    const request = {
      images,
      indices: Int32Array.from([2]),
      modelHash: "m",
      transforms: "t",
      cacheDir: join(blocked, "cache"),
      encode,
    };
    const reported: CacheWriteError[] = [];
    const result = await selectionEmbeddings({
      ...request,
      onCacheWriteError: (e) => reported.push(e),
    });
    expect(Array.from(result.codes)).toEqual([9.5, 8]);
    expect(reported).toHaveLength(1);
    expect(reported[0]!.kind).toBe("unavailable");
    await expect(selectionEmbeddings(request)).rejects.toThrow(CacheWriteError);
  });
});
