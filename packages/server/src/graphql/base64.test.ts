import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { float32Base64, int32Base64 } from "./base64.js";

function readFloat32(b64: string): number[] {
  const bytes = Buffer.from(b64, "base64");
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(4 * i));
}

describe("base64 numeric lists", () => {
  it("writes float32 little-endian: 1.5 is 00 00 c0 3f", () => {
    expect([...Buffer.from(float32Base64([1.5]), "base64")]).toEqual([0, 0, 0xc0, 0x3f]);
    expect([...Buffer.from(int32Base64([-2]), "base64")]).toEqual([0xfe, 0xff, 0xff, 0xff]);
    expect(float32Base64([])).toBe("");
  });

  it("round-trips any float64 list as its float32 rounding, and int32 lists exactly", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true })), fc.array(fc.integer()), (floats, ints) => {
        expect(readFloat32(float32Base64(floats))).toEqual(floats.map((x) => Math.fround(x)));
        const bytes = Buffer.from(int32Base64(Int32Array.from(ints)), "base64");
        expect(Array.from({ length: ints.length }, (_, i) => bytes.readInt32LE(4 * i))).toEqual(
          ints,
        );
      }),
    );
  });

  it("encodes a subarray's own elements, not its whole buffer", () => {
    const whole = Float32Array.from([1, 2, 3, 4]);
    expect(readFloat32(float32Base64(whole.subarray(1, 3)))).toEqual([2, 3]);
  });
});
