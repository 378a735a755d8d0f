import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedEmbeddings, embeddingCacheKey, type EmbeddingKey } from "./cache.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-cache-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const key = (indices: number[], modelHash = "m1"): EmbeddingKey => ({
  datasetHash: "d1",
  indices: Int32Array.from(indices),
  modelHash,
  transforms: "t1",
});

function counter() {
  let calls = 0;
  const compute = async () => {
    calls++;
    return { codes: Float32Array.from({ length: 6 }, (_, i) => i / 10 + calls), d: 2 };
  };
  return { compute, calls: () => calls };
}

describe("the embedding cache", () => {
  it("computes once, then reads back the same values", async () => {
    const c = counter();
    const first = await cachedEmbeddings(dir, key([0, 1, 2]), c.compute);
    const second = await cachedEmbeddings(dir, key([0, 1, 2]), c.compute);
    expect([first.cached, second.cached, c.calls()]).toEqual([false, true, 1]);
    expect(Array.from(second.codes)).toEqual(Array.from(first.codes));
    expect([second.n, second.d]).toEqual([3, 2]);
  });

  it("misses when any part of the key changes", async () => {
    expect(embeddingCacheKey(key([0, 1, 2]))).not.toBe(embeddingCacheKey(key([0, 2, 1])));
    expect(embeddingCacheKey(key([0, 1, 2]))).not.toBe(embeddingCacheKey(key([0, 1, 2], "m2")));
    const c = counter();
    expect((await cachedEmbeddings(dir, key([0, 1, 2], "m2"), c.compute)).cached).toBe(false);
  });

  it("detects a damaged entry by its checksum, deletes it and recomputes", async () => {
    const k = key([5, 6, 7]);
    const c = counter();
    await cachedEmbeddings(dir, k, c.compute);
    const file = join(dir, `${embeddingCacheKey(k)}.npy`);
    const bytes = await readFile(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await writeFile(file, bytes);
    const again = await cachedEmbeddings(dir, k, c.compute);
    expect([again.cached, c.calls()]).toEqual([false, 2]);
    expect(Array.from(again.codes)).toEqual(
      Array.from((await c.compute()).codes).map((v) => v - 1),
    );
  });

  it("treats half an entry (data without its checksum) as a miss, and leaves no temporary files", async () => {
    const k = key([9]);
    const c = counter();
    await cachedEmbeddings(dir, k, c.compute);
    await rm(join(dir, `${embeddingCacheKey(k)}.sha256`));
    expect((await cachedEmbeddings(dir, k, c.compute)).cached).toBe(false);
    expect((await readdir(dir)).filter((f) => f.includes(".tmp"))).toEqual([]);
  });
});

describe("a cache that cannot be written", () => {
  it("fails with CacheWriteError naming the folder, or reports it and returns the embeddings, leaving nothing partial", async () => {
    // a file where the cache folder should be: the same failure path as a full disk
    const blocked = join(dir, "blocked");
    await writeFile(blocked, "not a folder");
    const { compute } = counter();
    await expect(cachedEmbeddings(join(blocked, "cache"), key([1, 2, 3]), compute)).rejects.toThrow(
      /cannot write the embedding cache in .*blocked\/cache: a file stands where a folder should be/,
    );
    const reported: Error[] = [];
    const result = await cachedEmbeddings(join(blocked, "cache"), key([1, 2, 3]), compute, {
      onWriteError: (error) => reported.push(error),
    });
    expect(result.cached).toBe(false);
    expect(result.codes).toHaveLength(6);
    expect(reported.map((e) => e.name)).toEqual(["CacheWriteError"]);
    expect((await readdir(dir)).filter((f) => f.includes(".tmp"))).toEqual([]);
  });
});
