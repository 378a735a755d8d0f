import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmbeddings } from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { BlobCache, putBlob, readBlob, sha256Of } from "./blob-store.js";

const dir = mkdtempSync(join(tmpdir(), "lacuna-blobs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the blob store", () => {
  it("stores data once under its sha256 and reads it back into shared memory, float32 and float64", async () => {
    for (const f32 of [true, false]) {
      const e = randomEmbeddings(50, 7, f32 ? 1 : 2);
      const embeddings = f32 ? createEmbeddings(Float32Array.from(e.data), 50, 7) : e;
      const ref = await putBlob(dir, embeddings);
      expect(ref).toEqual({
        sha256: sha256Of(embeddings.data),
        dtype: f32 ? "float32" : "float64",
        n: 50,
        d: 7,
      });
      await putBlob(dir, embeddings);
      const back = await readBlob(dir, ref);
      expect(back.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(back.data)).toEqual(Array.from(embeddings.data));
    }
    expect(readdirSync(dir).filter((f) => f.endsWith(".part"))).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it("refuses a missing blob with the shared-directory advice, and a corrupted one", async () => {
    const ref = await putBlob(dir, randomEmbeddings(5, 2, 3));
    await expect(readBlob(join(dir, "elsewhere"), ref)).rejects.toMatchObject({
      code: "BLOB_MISSING",
      kind: "unavailable",
    });
    await expect(readBlob(dir, { ...ref, sha256: "../../etc/passwd" })).rejects.toMatchObject({
      code: "BLOB_CORRUPT",
      message: expect.not.stringContaining("hashes to 0") as unknown,
    });
    writeFileSync(join(dir, ref.sha256), Buffer.alloc(80));
    await expect(readBlob(dir, ref)).rejects.toMatchObject({ code: "BLOB_CORRUPT" });
  });

  it("caches what it read and forgets a failed read", async () => {
    const ref = await putBlob(dir, randomEmbeddings(6, 2, 4));
    const cache = new BlobCache(dir, 1);
    const first = await cache.get(ref);
    expect(await cache.get(ref)).toBe(first);
    const missing = { ...ref, sha256: "0".repeat(64) };
    await expect(cache.get(missing)).rejects.toMatchObject({ code: "BLOB_MISSING" });
    expect(await cache.get(ref)).not.toBe(first);
  });
});
