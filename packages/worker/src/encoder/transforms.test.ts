import { describe, expect, it } from "vitest";
import { normalizeMnist } from "./transforms.js";

describe("MNIST transforms", () => {
  it("computes (x / 255 - 0.1307) / 0.3081 in float32", () => {
    const out = normalizeMnist(Uint8Array.from([0, 255, 128]));
    expect(out[0]).toBeCloseTo(-0.4242129, 6);
    expect(out[1]).toBeCloseTo(2.8214867, 6);
    // torchvision: every step a float32 tensor operation
    const f = Math.fround;
    expect(out[2]).toBe(f(f(f(128 / 255) - f(0.1307)) / f(0.3081)));
  });
});
