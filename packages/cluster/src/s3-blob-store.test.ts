import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createEmbeddings } from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobCache, putBlob, readBlob, sha256Of } from "./blob-store.js";
import { openBlobStore, parseBlobStoreUrl, S3BlobStore } from "./s3-blob-store.js";
import { freePort, startS3, type TestS3 } from "./testing.js";

const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

describe("s3:// blob store URLs", () => {
  it("parses a bucket and a prefix, and refuses what is not one", () => {
    expect(parseBlobStoreUrl("s3://my-bucket")).toEqual({ bucket: "my-bucket", prefix: "" });
    expect(parseBlobStoreUrl("s3://my.bucket/a/b/")).toEqual({
      bucket: "my.bucket",
      prefix: "a/b",
    });
    for (const bad of ["my-bucket", "s3://", "s3://UPPER/x", "http://b/x", "s3://bucket/../x"])
      expect(() => parseBlobStoreUrl(bad)).toThrow(
        expect.objectContaining({ code: "INVALID_BLOB_STORE", kind: "input" }) as Error,
      );
  });

  it("opens the data directory's folder without a URL, and S3 with LACUNA_BLOB_STORE", () => {
    expect(openBlobStore(undefined, "/data", {}).description).toBe("local");
    const env = { LACUNA_BLOB_STORE: "s3://b-1/p", LACUNA_S3_ENDPOINT: "http://127.0.0.1:9" };
    expect(openBlobStore(undefined, "/data", env).description).toBe("s3://b-1/p");
    expect(openBlobStore("s3://b-2", "/data", env).description).toBe("s3://b-2");
    expect(() => openBlobStore("s3://b-1", "/d", { LACUNA_S3_ENDPOINT: "127.0.0.1:9" })).toThrow(
      /LACUNA_S3_ENDPOINT/,
    );
  });
});

describe("the S3 blob store, against s3rver", () => {
  let s3: TestS3;
  let client: S3Client;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "lacuna-s3-cache-"));
    dirs.push(dir);
    return dir;
  };
  const store = (
    prefix = "unit",
    more: Partial<ConstructorParameters<typeof S3BlobStore>[0]> = {},
  ) => new S3BlobStore({ bucket: s3.bucket, prefix, endpoint: s3.endpoint, credentials, ...more });

  beforeAll(async () => {
    s3 = await startS3();
    client = new S3Client({
      endpoint: s3.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("puts a blob once and gets it back, float32 and float64, bit for bit", async () => {
    const blobs = store();
    for (const f32 of [true, false]) {
      const e = randomEmbeddings(40, 6, f32 ? 11 : 12);
      const embeddings = f32 ? createEmbeddings(Float32Array.from(e.data), 40, 6) : e;
      const ref = await putBlob(blobs, embeddings);
      expect(ref.sha256).toBe(sha256Of(embeddings.data));
      const back = await readBlob(blobs, ref);
      expect(back.data.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Buffer.from(back.data.buffer).equals(Buffer.from(embeddings.data.buffer))).toBe(true);
    }
    await blobs.close();
  });

  it("does not send a blob the store already holds", async () => {
    const blobs = store("once");
    const embeddings = randomEmbeddings(20, 3, 13);
    const ref = await putBlob(blobs, embeddings);
    // replaced behind the store's back by an object of the same size: a second put leaves it
    const other = randomEmbeddings(20, 3, 14);
    const key = `once/${ref.sha256}`;
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: Buffer.from(other.data.buffer) }),
    );
    await putBlob(blobs, embeddings);
    await expect(readBlob(blobs, ref)).rejects.toMatchObject({ code: "BLOB_CORRUPT" });
    await blobs.close();
  });

  it("refuses a blob whose bytes do not hash to its name", async () => {
    const blobs = store("corrupt");
    const ref = await putBlob(blobs, randomEmbeddings(10, 2, 15));
    const bytes = Buffer.alloc(10 * 2 * 8, 1);
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: `corrupt/${ref.sha256}`, Body: bytes }),
    );
    await expect(readBlob(blobs, ref)).rejects.toMatchObject({
      code: "BLOB_CORRUPT",
      message: expect.stringContaining(sha256Of(bytes)) as unknown,
    });
    await blobs.close();
  });

  it("answers a missing key, a missing bucket and refused credentials with coded errors", async () => {
    const ref = await putBlob(store("codes"), randomEmbeddings(8, 2, 16));
    await expect(readBlob(store("elsewhere"), ref)).rejects.toMatchObject({
      code: "BLOB_MISSING",
      kind: "unavailable",
    });
    const noBucket = new S3BlobStore({
      bucket: "no-such-bucket",
      prefix: "",
      endpoint: s3.endpoint,
      credentials,
    });
    await expect(readBlob(noBucket, ref)).rejects.toMatchObject({ code: "BLOB_BUCKET_MISSING" });
    await expect(putBlob(noBucket, randomEmbeddings(8, 2, 16))).rejects.toMatchObject({
      code: "BLOB_BUCKET_MISSING",
      kind: "input",
    });
    const denied = store("codes", { credentials: { accessKeyId: "WHO", secretAccessKey: "X" } });
    await expect(readBlob(denied, ref)).rejects.toMatchObject({
      code: "BLOB_STORE_DENIED",
      kind: "unauthenticated",
    });
  });

  it("answers an endpoint nobody listens on with BLOB_STORE_UNREACHABLE", async () => {
    const port = await freePort();
    const nobody = store("x", { endpoint: `http://127.0.0.1:${port}`, connectTimeoutMs: 1000 });
    await expect(putBlob(nobody, randomEmbeddings(4, 2, 17))).rejects.toMatchObject({
      code: "BLOB_STORE_UNREACHABLE",
      kind: "unavailable",
      message: expect.stringContaining(`127.0.0.1:${port}`) as unknown,
    });
  }, 15_000);

  it("fetches a blob once per worker, keeps a verified copy under its data directory, and mends a damaged one", async () => {
    const blobs = store("cache");
    const embeddings = randomEmbeddings(30, 4, 18);
    const ref = await putBlob(blobs, embeddings);
    const dir = tempDir();
    const cache = new BlobCache(dir, 2, blobs);
    expect(cache.description).toBe("s3://lacuna-test/cache");
    const first = await cache.get(ref);
    expect(await cache.get(ref)).toBe(first);
    expect(sha256Of(readFileSync(join(dir, ref.sha256)))).toBe(ref.sha256);
    // the local copy serves a new process even when S3 has lost the object
    const offline = new BlobCache(dir, 2, store("cache", { endpoint: "http://127.0.0.1:9" }));
    expect(Array.from((await offline.get(ref)).data)).toEqual(Array.from(embeddings.data));
    // a damaged local copy is fetched again and replaced
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, ref.sha256), Buffer.alloc(30 * 4 * 8));
    const mended = await new BlobCache(dir, 2, blobs).get(ref);
    expect(Array.from(mended.data)).toEqual(Array.from(embeddings.data));
    expect(sha256Of(readFileSync(join(dir, ref.sha256)))).toBe(ref.sha256);
    await blobs.close();
  });
});
