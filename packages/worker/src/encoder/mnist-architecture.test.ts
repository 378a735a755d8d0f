import { describe, expect, it } from "vitest";
import { tfRuntime } from "../tfjs/runtime.js";
import { buildMnistDecoder, buildMnistEncoder } from "./mnist-encoder.js";

describe("the seed's autoencoder in tfjs-layers", () => {
  it("has the seed's shapes and PyTorch's parameter counts", async () => {
    await tfRuntime();
    const tfl = await import("@tensorflow/tfjs-layers");
    const encoder = buildMnistEncoder(tfl);
    const decoder = buildMnistDecoder(tfl);
    expect(encoder.outputs[0]!.shape).toEqual([null, 10]);
    expect(decoder.outputs[0]!.shape).toEqual([null, 28, 28, 1]);
    // PyTorch: conv 1*4*25+4, conv 4*8*25+8, linear 3200*10+10
    expect(encoder.countParams()).toBe(104 + 808 + 32010);
    // PyTorch: linear 10*400+400, linear 400*4000+4000, convT 10*10*25+10, convT 10*1*25+1
    expect(decoder.countParams()).toBe(4400 + 1604000 + 2510 + 251);
  });
});
