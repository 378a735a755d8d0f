import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidFileError } from "../errors.js";
import { readNpyFile } from "./npy-file.js";
import { openNpyRows } from "./npy-rows.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-npy-rows-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Hand-built .npy bytes (version 1.0) of `descr` and shape, each value written by `write`. */
function npyBytes(
  descr: string,
  shape: string,
  itemSize: number,
  count: number,
  write: (view: DataView, at: number, i: number) => void,
): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += " ".repeat(63 - ((10 + header.length) % 64)) + "\n";
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + head.length + count * itemSize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, head.length, true);
  out.set(head, 10);
  for (let i = 0; i < count; i++) write(view, 10 + head.length + i * itemSize, i);
  return out;
}

/** A value of row-major element i, varied, negative and fractional where the dtype allows. */
const valueOf = (i: number) => ((i * 37) % 101) - 50 + (i % 3) * 0.25;

const DTYPES: readonly {
  descr: string;
  size: number;
  write: (v: DataView, at: number, x: number) => void;
}[] = [
  { descr: "<f4", size: 4, write: (v, at, x) => v.setFloat32(at, x, true) },
  { descr: ">f4", size: 4, write: (v, at, x) => v.setFloat32(at, x, false) },
  { descr: "<f8", size: 8, write: (v, at, x) => v.setFloat64(at, x, true) },
  { descr: ">f8", size: 8, write: (v, at, x) => v.setFloat64(at, x, false) },
  { descr: "<i4", size: 4, write: (v, at, x) => v.setInt32(at, Math.round(x), true) },
  { descr: ">i2", size: 2, write: (v, at, x) => v.setInt16(at, Math.round(x), false) },
  { descr: "|u1", size: 1, write: (v, at, x) => v.setUint8(at, Math.round(x) + 50) },
  { descr: ">i8", size: 8, write: (v, at, x) => v.setBigInt64(at, BigInt(Math.round(x)), false) },
  { descr: "<f2", size: 2, write: (v, at, x) => v.setUint16(at, x < 0 ? 0xbc00 : 0x3c00, true) },
];

describe("openNpyRows", () => {
  it("reads every dtype and byte order as readNpyFile does, in blocks that do not divide n", async () => {
    const n = 23;
    const d = 5;
    for (const { descr, size, write } of DTYPES) {
      const path = join(dir, `rows${descr.replace(/[<>|]/, "_")}.npy`);
      await writeFile(
        path,
        npyBytes(descr, `(${n}, ${d})`, size, n * d, (v, at, i) => write(v, at, valueOf(i))),
      );
      const whole = await readNpyFile(path);
      const rows = await openNpyRows(path);
      try {
        expect([rows.n, rows.d], descr).toEqual([n, d]);
        expect(rows.dtype, descr).toBe(whole.dtype === "float32" ? "float32" : "float64");
        expect(rows.decodedBytes, descr).toBe(whole.data.byteLength);
        for (const step of [1, 4, 7, n]) {
          const out =
            rows.dtype === "float32"
              ? new Float32Array(step * d + 3)
              : new Float64Array(step * d + 3);
          for (let a = 0; a < n; a += step) {
            const b = Math.min(n, a + step);
            const block = await rows.read(a, b, out);
            expect(block.length).toBe((b - a) * d);
            expect(Array.from(block), `${descr} rows ${a}..${b}`).toEqual(
              Array.from(whole.data.subarray(a * d, b * d)),
            );
          }
        }
        // without an output array: a new one
        expect(Array.from(await rows.read(3, 5))).toEqual(Array.from(whole.data.subarray(15, 25)));
        expect((await rows.read(4, 4)).length).toBe(0);
      } finally {
        await rows.close();
      }
    }
  });

  it("refuses a range outside the rows and an output of the wrong type or size", async () => {
    const path = join(dir, "small.npy");
    await writeFile(
      path,
      npyBytes("<f4", "(4, 2)", 4, 8, (v, at, i) => v.setFloat32(at, i, true)),
    );
    const rows = await openNpyRows(path);
    try {
      await expect(rows.read(0, 5)).rejects.toThrow(RangeError);
      await expect(rows.read(3, 2)).rejects.toThrow(RangeError);
      await expect(rows.read(0, 2, new Float64Array(4))).rejects.toThrow(
        /float32 array of at least 4/,
      );
      await expect(rows.read(0, 2, new Float32Array(3))).rejects.toThrow(RangeError);
    } finally {
      await rows.close();
    }
  });

  it("checks the header as readNpyFile does: a lying shape, a 1-D array, no rows", async () => {
    const lying = join(dir, "lying.npy");
    // announces 1000 x 1000 float64 (8 MB) and holds 16 bytes: refused at open, nothing allocated
    await writeFile(
      lying,
      npyBytes("<f8", "(1000, 1000)", 8, 2, (v, at) => v.setFloat64(at, 1, true)),
    );
    await expect(openNpyRows(lying)).rejects.toThrow(InvalidFileError);
    await expect(readNpyFile(lying)).rejects.toThrow(InvalidFileError);
    const flat = join(dir, "flat.npy");
    await writeFile(
      flat,
      npyBytes("<f4", "(3,)", 4, 3, (v, at) => v.setFloat32(at, 1, true)),
    );
    await expect(openNpyRows(flat)).rejects.toThrow(/2-D array/);
    const empty = join(dir, "empty.npy");
    await writeFile(
      empty,
      npyBytes("<f4", "(0, 3)", 4, 0, () => undefined),
    );
    await expect(openNpyRows(empty)).rejects.toThrow(/at least one row/);
  });

  it("fails with InvalidFileError when the file is truncated after it was opened", async () => {
    for (const [descr, size] of [
      ["<f4", 4],
      [">f8", 8],
    ] as const) {
      const path = join(dir, `cut${size}.npy`);
      await writeFile(
        path,
        npyBytes(descr, "(10, 4)", size, 40, (v, at) => v.setUint8(at, 1)),
      );
      const rows = await openNpyRows(path);
      try {
        expect(Array.from(await rows.read(0, 2)).length).toBe(8);
        // a quarter of the data cut off: the first rows still read, the last fail
        const bytes = (await readNpyFile(path)).data.length * size;
        const total = npyBytes(descr, "(10, 4)", size, 40, () => undefined).length;
        await truncate(path, total - bytes / 4);
        expect((await rows.read(0, 5)).length).toBe(20);
        await expect(rows.read(5, 10)).rejects.toThrow(InvalidFileError);
      } finally {
        await rows.close();
      }
    }
  });
});
