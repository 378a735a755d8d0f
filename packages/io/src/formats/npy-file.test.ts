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

  it("streams into shared memory, float32 straight in, other dtypes across chunk boundaries", async () => {
    // 2.5 chunks of float64 (16 MiB each) and a little-endian float32 array
    const n = 5_242_881;
    const f64 = Float64Array.from({ length: n }, (_, i) => i * 0.5 - 7);
    const path64 = join(dir, "big64.npy");
    await writeFile(path64, encodeNpy(f64, [n, 1]));
    const a = await readNpyFile(path64);
    expect(a.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.dtype).toBe("float64");
    expect(a.data.length).toBe(n);
    for (const i of [0, 2_097_151, 2_097_152, 4_194_304, n - 1]) expect(a.data[i]).toBe(f64[i]);
    const f32 = Float32Array.from({ length: 1000 }, (_, i) => i / 7);
    const path32 = join(dir, "e32.npy");
    await writeFile(path32, encodeNpy(f32, [500, 2]));
    const b = await readNpyFile(path32);
    expect(b.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(b.data)).toEqual(Array.from(f32));
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
