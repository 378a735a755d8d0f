#!/usr/bin/env node
/**
 * Converts the PyTorch encoder weights that train.py writes (pytorch/*.npy, NCHW) into the
 * TensorFlow.js layers model Lacuna loads (model.json + weights.bin, NHWC): conv kernels
 * transposed to [kh, kw, in, out], and the dense layer's rows permuted from PyTorch's CHW flatten to
 * TensorFlow.js's HWC flatten. The encoder-parity test proves the two give the same codes.
 *   node models/mnist-ae/convert-to-tfjs.mjs [DIR]   (default: this folder)
 */
import { writeFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readNpyFile } from "@lacuna/io";
import { buildMnistEncoder, tfRuntime, tfjsWeightsFromPyTorch } from "@lacuna/worker";

const dir = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
const read = async (name) => {
  const arr = await readNpyFile(join(dir, "pytorch", `${name}.npy`));
  return arr.data instanceof Float32Array ? arr.data : Float32Array.from(arr.data);
};
const weights = tfjsWeightsFromPyTorch({
  conv1Weight: await read("0.weight"),
  conv1Bias: await read("0.bias"),
  conv2Weight: await read("2.weight"),
  conv2Bias: await read("2.bias"),
  denseWeight: await read("5.weight"),
  denseBias: await read("5.bias"),
});
const { tf } = await tfRuntime();
const tfl = await import("@tensorflow/tfjs-layers");
const model = buildMnistEncoder(tfl);
model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
await model.save(
  tf.io.withSaveHandler(async (artifacts) => {
    const json = {
      format: "layers-model",
      generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
      convertedBy: "Lacuna models/mnist-ae/convert-to-tfjs.mjs from PyTorch weights (train.py)",
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
    };
    // written beside, then renamed: a reader never sees half a model
    await writeFile(join(dir, "weights.bin.tmp"), new Uint8Array(artifacts.weightData));
    await writeFile(join(dir, "model.json.tmp"), `${JSON.stringify(json)}\n`);
    await rename(join(dir, "weights.bin.tmp"), join(dir, "weights.bin"));
    await rename(join(dir, "model.json.tmp"), join(dir, "model.json"));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }),
);
console.log(`wrote ${join(dir, "model.json")} and weights.bin`);
