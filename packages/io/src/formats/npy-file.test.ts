import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileNotFoundError, InvalidFileError } from "../errors.js";
import { encodeNpy } from "./npy.js";
import { readNpyFile, writeNpyFile } from "./npy-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-npy-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readNpyFile", () => {
  it("reads what writeNpyFile wrote and leaves no temporary file", async () => {
    const path = join(dir, "e.npy");
    await writeNpyFile(path, new Float32Array([0.1, 0.2, 0.3, 0.4]), [2, 2]);
    const arr = await readNpyFile(path);
    expect(arr.shape).toEqual([2, 2]);
    expect(Array.from(arr.data)).toEqual(Array.from(new Float32Array([0.1, 0.2, 0.3, 0.4])));
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses a header claiming terabytes from the file size, before reading the data", async () => {
    const bytes = encodeNpy(new Float64Array(4), [2, 2]);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    const text = new TextDecoder("latin1").decode(bytes.subarray(10, 10 + headerLength));
    // same header length: the longer shape takes the place of padding spaces
    const lying = text.replace("(2, 2), }", "(9999999999, 99), }").replace("          \n", "\n");
    expect(lying.length).toBe(text.length);
    bytes.set(new TextEncoder().encode(lying), 10);
    const path = join(dir, "lying.npy");
    await writeFile(path, bytes);
    await expect(readNpyFile(path)).rejects.toThrow(InvalidFileError);
    await expect(readNpyFile(path)).rejects.toThrow(/lying\.npy: truncated data/);
  });

  it("names the file when it is missing, a directory or empty", async () => {
    await expect(readNpyFile(join(dir, "missing.npy"))).rejects.toThrow(FileNotFoundError);
    await expect(readNpyFile(join(dir, "missing.npy"))).rejects.toThrow(
      /missing\.npy: no such file/,
    );
    await expect(readNpyFile(dir)).rejects.toThrow(/not a regular file|directory/);
    const empty = join(dir, "empty.npy");
    await writeFile(empty, "");
    await expect(readNpyFile(empty)).rejects.toThrow(/empty\.npy: not a \.npy file/);
  });

  it("refuses a version-2 header length of 4 GiB without allocating it", async () => {
    const bytes = new Uint8Array([
      0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, 0xff, 0xff, 0xff, 0xff, 0x7b,
    ]);
    const path = join(dir, "hugeheader.npy");
    await writeFile(path, bytes);
    await expect(readNpyFile(path)).rejects.toThrow(/implausibly large/);
  });
});
