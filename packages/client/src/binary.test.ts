import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFloat32, decodeInt32 } from "./binary.js";
import { socketUrl } from "./live.js";

function base64Of(write: (view: DataView) => void, bytes: number): string {
  const view = new DataView(new ArrayBuffer(bytes));
  write(view);
  return Buffer.from(view.buffer).toString("base64");
}

describe("base64 field decoding", () => {
  it("reads little-endian float32 and int32 whatever the values", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true })), fc.array(fc.integer()), (floats, ints) => {
        const f = base64Of(
          (v) => floats.forEach((x, i) => v.setFloat32(4 * i, x, true)),
          4 * floats.length,
        );
        const n = base64Of(
          (v) => ints.forEach((x, i) => v.setInt32(4 * i, x, true)),
          4 * ints.length,
        );
        expect(Array.from(decodeFloat32(f, floats.length))).toEqual(floats);
        expect(Array.from(decodeInt32(n))).toEqual(ints);
      }),
    );
    expect(Array.from(decodeFloat32("AADAPw=="))).toEqual([1.5]);
  });

  it("refuses a length that is not whole values or not the expected count", () => {
    expect(() => decodeFloat32("AAA=")).toThrow(/multiple of 4 bytes/);
    expect(() => decodeInt32("AAAAAA==", 2)).toThrow(/expected 2 values, got 1/);
  });

  it("turns the HTTP endpoint into its WebSocket twin", () => {
    expect(socketUrl("http://localhost:4000/graphql")).toBe("ws://localhost:4000/graphql");
    expect(socketUrl("https://h.example/graphql")).toBe("wss://h.example/graphql");
    expect(socketUrl("/graphql", "https://h.example/page")).toBe("wss://h.example/graphql");
  });
});
