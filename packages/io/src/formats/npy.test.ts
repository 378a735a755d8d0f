import { describe, expect, it } from "vitest";
import { NpyFormatError, decodeNpy, encodeNpy } from "./npy.js";

interface Build {
  descr: string;
  shape: string;
  payload: Uint8Array;
  version?: 1 | 2 | 3;
  fortran?: boolean;
  magic?: number[];
}

/** Hand-built .npy bytes, so the tests do not depend on the encoder they check. */
function npy({ descr, shape, payload, version = 1, fortran = false, magic }: Build): Uint8Array {
  const header = `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': ${shape}, }\n`;
  const headerBytes = new TextEncoder().encode(header);
  const pre = version === 1 ? 10 : 12;
  const out = new Uint8Array(pre + headerBytes.length + payload.length);
  out.set(magic ?? [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, pre);
  out.set(payload, pre + headerBytes.length);
  return out;
}

function bytesOf(write: (v: DataView) => void, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  write(new DataView(buf.buffer));
  return buf;
}

describe("decodeNpy", () => {
  it("round-trips the encoder's float32, float64 and int32 output", () => {
    const f32 = new Float32Array([0.5, 0.25, 1, 0]);
    const back = decodeNpy(encodeNpy(f32, [2, 2]));
    expect(back.dtype).toBe("float32");
    expect(back.shape).toEqual([2, 2]);
    expect(Array.from(back.data)).toEqual([0.5, 0.25, 1, 0]);
    const f64 = new Float64Array([Math.PI, -1e-300]);
    expect(Array.from(decodeNpy(encodeNpy(f64, [2])).data)).toEqual([Math.PI, -1e-300]);
    const i32 = new Int32Array([7, -3, 2]);
    const ints = decodeNpy(encodeNpy(i32, [3]));
    expect(ints.dtype).toBe("int32");
    expect(Array.from(ints.data)).toEqual([7, -3, 2]);
  });

  it("aligns the data to 64 bytes as numpy does", () => {
    const bytes = encodeNpy(new Float32Array(6), [2, 3]);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    expect(bytes[10 + headerLength - 1]).toBe(0x0a);
  });

  it("reads big-endian float32 and float64", () => {
    const f4 = bytesOf((v) => {
      v.setFloat32(0, 1.5, false);
      v.setFloat32(4, -2.25, false);
    }, 8);
    expect(Array.from(decodeNpy(npy({ descr: ">f4", shape: "(2,)", payload: f4 })).data)).toEqual([
      1.5, -2.25,
    ]);
    const f8 = bytesOf((v) => v.setFloat64(0, 0.1, false), 8);
    expect(Array.from(decodeNpy(npy({ descr: ">f8", shape: "(1, 1)", payload: f8 })).data)).toEqual(
      [0.1],
    );
  });

  it("reads every integer width, signed and unsigned, both byte orders, and bool", () => {
    const cases: [string, Uint8Array, number[]][] = [
      ["|i1", new Uint8Array([0xff, 0x7f]), [-1, 127]],
      ["|u1", new Uint8Array([0xff, 0x00]), [255, 0]],
      ["|b1", new Uint8Array([0x01, 0x00]), [1, 0]],
      [
        "<i2",
        bytesOf((v) => {
          v.setInt16(0, -300, true);
          v.setInt16(2, 5, true);
        }, 4),
        [-300, 5],
      ],
      [
        ">u2",
        bytesOf((v) => {
          v.setUint16(0, 65535, false);
          v.setUint16(2, 1, false);
        }, 4),
        [65535, 1],
      ],
      [
        "<i4",
        bytesOf((v) => {
          v.setInt32(0, -7, true);
          v.setInt32(4, 1 << 30, true);
        }, 8),
        [-7, 1 << 30],
      ],
      [
        ">u4",
        bytesOf((v) => {
          v.setUint32(0, 4e9, false);
          v.setUint32(4, 2, false);
        }, 8),
        [4e9, 2],
      ],
      [
        "<i8",
        bytesOf((v) => {
          v.setBigInt64(0, -5n, true);
          v.setBigInt64(8, 9n, true);
        }, 16),
        [-5, 9],
      ],
      [
        ">u8",
        bytesOf((v) => {
          v.setBigUint64(0, 2n ** 40n, false);
          v.setBigUint64(8, 0n, false);
        }, 16),
        [2 ** 40, 0],
      ],
      [
        "<f2",
        bytesOf((v) => {
          v.setUint16(0, 0x3c00, true);
          v.setUint16(2, 0xc000, true);
        }, 4),
        [1, -2],
      ],
    ];
    for (const [descr, payload, expected] of cases) {
      const arr = decodeNpy(npy({ descr, shape: "(2,)", payload }));
      expect(Array.from(arr.data), descr).toEqual(expected);
    }
  });

  it("reads format versions 2.0 and 3.0", () => {
    const payload = new Uint8Array(new Float32Array([0.75]).buffer);
    expect(
      Array.from(decodeNpy(npy({ descr: "<f4", shape: "(1,)", payload, version: 2 })).data),
    ).toEqual([0.75]);
    expect(
      Array.from(decodeNpy(npy({ descr: "<f4", shape: "(1,)", payload, version: 3 })).data),
    ).toEqual([0.75]);
  });

  it("reads a 0-d scalar and an empty array", () => {
    const payload = new Uint8Array(new Float64Array([42]).buffer);
    expect(decodeNpy(npy({ descr: "<f8", shape: "()", payload })).shape).toEqual([]);
    expect(
      decodeNpy(npy({ descr: "<f8", shape: "(0, 10)", payload: new Uint8Array(0) })).data.length,
    ).toBe(0);
  });

  const f4x2 = new Uint8Array(new Float32Array([0, 1]).buffer);
  const refusals: [string, Uint8Array, RegExp][] = [
    [
      "Fortran order",
      npy({ descr: "<f4", shape: "(2,)", payload: f4x2, fortran: true }),
      /Fortran-ordered/,
    ],
    [
      "object arrays",
      npy({ descr: "|O", shape: "(2,)", payload: f4x2 }),
      /object arrays are not supported/,
    ],
    [
      "unknown dtypes",
      npy({ descr: "<c8", shape: "(1,)", payload: f4x2 }),
      /unsupported dtype '<c8'/,
    ],
    [
      "bad magic",
      npy({ descr: "<f4", shape: "(2,)", payload: f4x2, magic: [0x50, 0x4b, 3, 4, 0, 0] }),
      /magic string/,
    ],
    [
      "truncated data",
      npy({ descr: "<f4", shape: "(3,)", payload: f4x2 }),
      /truncated data: .* needs 12 bytes, the file has 8/,
    ],
    [
      "a shape far larger than the data",
      npy({ descr: "<f8", shape: "(1000000000, 1000)", payload: f4x2 }),
      /truncated data/,
    ],
    [
      "extra bytes after the data",
      npy({ descr: "<f4", shape: "(1,)", payload: f4x2 }),
      /4 bytes more than/,
    ],
    [
      "negative dimensions",
      npy({ descr: "<f4", shape: "(-2,)", payload: f4x2 }),
      /not a whole number/,
    ],
    [
      "an address-space-sized shape",
      npy({ descr: "<f8", shape: "(99999999999999999999,)", payload: f4x2 }),
      /too large/,
    ],
  ];
  it.each(refusals)("refuses %s", (_name, bytes, message) => {
    expect(() => decodeNpy(bytes)).toThrow(NpyFormatError);
    expect(() => decodeNpy(bytes)).toThrow(message);
  });

  it("refuses a structured dtype", () => {
    const text = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\n";
    const bytes = npy({ descr: "<f4", shape: "(1,)", payload: new Uint8Array(4) });
    const header = new TextEncoder().encode(text);
    const out = new Uint8Array(10 + header.length + 4);
    out.set(bytes.subarray(0, 8));
    new DataView(out.buffer).setUint16(8, header.length, true);
    out.set(header, 10);
    expect(() => decodeNpy(out)).toThrow(/structured arrays/);
  });

  it("refuses an unsupported version and a header longer than the file", () => {
    const good = npy({ descr: "<f4", shape: "(2,)", payload: f4x2 });
    const v4 = good.slice();
    v4[6] = 4;
    expect(() => decodeNpy(v4)).toThrow(/version 4.0/);
    expect(() => decodeNpy(good.subarray(0, 30))).toThrow(/truncated header/);
    expect(() => decodeNpy(good.subarray(0, 5))).toThrow(/magic string/);
  });
});
