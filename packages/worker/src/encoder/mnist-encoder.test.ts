import { random } from "@lacuna/core/testing";
import { describe, expect, it } from "vitest";
import { tfjsWeightsFromPyTorch } from "./mnist-encoder.js";

/** n seeded values in [-0.5, 0.5). */
function values(n: number, seed: number): Float32Array {
  const rand = random(seed);
  return Float32Array.from({ length: n }, () => rand() - 0.5);
}

describe("PyTorch to TensorFlow.js weight layout", () => {
  const torch = {
    conv1Weight: values(4 * 1 * 25, 1),
    conv1Bias: values(4, 2),
    conv2Weight: values(8 * 4 * 25, 3),
    conv2Bias: values(8, 4),
    denseWeight: values(10 * 3200, 5),
    denseBias: values(10, 6),
  };
  const tf = tfjsWeightsFromPyTorch(torch);

  it("keeps each conv weight, moved from [out, in, kh, kw] to [kh, kw, in, out]", () => {
    const k = tf[2]!.values;
    for (const [o, i, y, x] of [
      [0, 0, 0, 0],
      [7, 3, 4, 4],
      [5, 1, 2, 3],
      [2, 2, 0, 4],
    ] as const) {
      expect(k[((y * 5 + x) * 4 + i) * 8 + o]).toBe(
        torch.conv2Weight[((o * 4 + i) * 5 + y) * 5 + x],
      );
    }
    expect(tf.map((w) => w.shape)).toEqual([
      [5, 5, 1, 4],
      [4],
      [5, 5, 4, 8],
      [8],
      [3200, 10],
      [10],
    ]);
  });

  it("gives the same dense output for an HWC-flattened map as PyTorch for the CHW-flattened one", () => {
    const map = values(8 * 20 * 20, 9); // indexed [c][h][w]
    const kernel = tf[4]!.values;
    for (let o = 0; o < 10; o++) {
      let torchOut = 0;
      let tfOut = 0;
      for (let c = 0; c < 8; c++)
        for (let h = 0; h < 20; h++)
          for (let w = 0; w < 20; w++) {
            const v = map[c * 400 + h * 20 + w]!;
            torchOut += torch.denseWeight[o * 3200 + c * 400 + h * 20 + w]! * v;
            tfOut += kernel[(h * 160 + w * 8 + c) * 10 + o]! * v;
          }
      expect(tfOut).toBeCloseTo(torchOut, 10);
    }
  });
});
