import type * as TfLayers from "@tensorflow/tfjs-layers";

type Layers = typeof TfLayers;

/** Input of the seed's encoder: one 28 x 28 grey image, NHWC, normalised (x / 255 - 0.1307) / 0.3081. */
export const MNIST_ENCODER_INPUT = [28, 28, 1] as const;
export const MNIST_ENCODER_DIMENSIONS = 10;

/**
 * The encoder half of the seed tutorial's autoencoder, in tfjs-layers: Conv2d 1->4 k5, ReLU,
 * Conv2d 4->8 k5, ReLU, Flatten, Dense 3200->10, Sigmoid (codes in [0, 1]). Channels last.
 */
export function buildMnistEncoder(tfl: Layers): TfLayers.Sequential {
  const model = tfl.sequential({ name: "mnist_ae_encoder" });
  model.add(
    tfl.layers.conv2d({
      inputShape: [...MNIST_ENCODER_INPUT],
      filters: 4,
      kernelSize: 5,
      activation: "relu",
      name: "conv1",
    }),
  );
  model.add(tfl.layers.conv2d({ filters: 8, kernelSize: 5, activation: "relu", name: "conv2" }));
  model.add(tfl.layers.flatten({ name: "flatten" }));
  model.add(
    tfl.layers.dense({ units: MNIST_ENCODER_DIMENSIONS, activation: "sigmoid", name: "code" }),
  );
  return model;
}

/**
 * The decoder half, in tfjs-layers, for completeness and for anyone training in TensorFlow.js:
 * Dense 10->400, ReLU, Dense 400->4000, ReLU, reshape to 10 x 20 x 20 (channels last here:
 * 20 x 20 x 10), ConvTranspose 10->10 k5, ConvTranspose 10->1 k5, Sigmoid: 28 x 28 x 1 out. Lacuna
 * ships only the encoder (trained in PyTorch, see models/mnist-ae/MODEL_CARD.md).
 */
export function buildMnistDecoder(tfl: Layers): TfLayers.Sequential {
  const model = tfl.sequential({ name: "mnist_ae_decoder" });
  model.add(
    tfl.layers.dense({
      inputShape: [MNIST_ENCODER_DIMENSIONS],
      units: 400,
      activation: "relu",
      name: "dense1",
    }),
  );
  model.add(tfl.layers.dense({ units: 4000, activation: "relu", name: "dense2" }));
  model.add(tfl.layers.reshape({ targetShape: [20, 20, 10], name: "reshape" }));
  model.add(tfl.layers.conv2dTranspose({ filters: 10, kernelSize: 5, name: "deconv1" }));
  model.add(
    tfl.layers.conv2dTranspose({
      filters: 1,
      kernelSize: 5,
      activation: "sigmoid",
      name: "deconv2",
    }),
  );
  return model;
}

/** PyTorch's encoder tensors, as saved by models/mnist-ae/train.py (NCHW, out x in). */
export interface PyTorchEncoderWeights {
  /** [4, 1, 5, 5] */ readonly conv1Weight: Float32Array;
  /** [4] */ readonly conv1Bias: Float32Array;
  /** [8, 4, 5, 5] */ readonly conv2Weight: Float32Array;
  /** [8] */ readonly conv2Bias: Float32Array;
  /** [10, 3200] */ readonly denseWeight: Float32Array;
  /** [10] */ readonly denseBias: Float32Array;
}

/** PyTorch conv weight [out, in, kh, kw] to tfjs [kh, kw, in, out]. */
function convToTf(w: Float32Array, out: number, inp: number, k: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inp; i++)
      for (let y = 0; y < k; y++)
        for (let x = 0; x < k; x++)
          t[((y * k + x) * inp + i) * out + o] = w[((o * inp + i) * k + y) * k + x]!;
  return t;
}

/**
 * PyTorch dense weight [10, 3200] over a CHW flatten (c * 400 + h * 20 + w) to a tfjs kernel
 * [3200, 10] over an HWC flatten (h * 160 + w * 8 + c): the two frameworks flatten the 8 x 20 x 20
 * feature map in different orders.
 */
function denseToTf(w: Float32Array): Float32Array {
  const C = 8;
  const H = 20;
  const W = 20;
  const units = 10;
  const t = new Float32Array(w.length);
  for (let o = 0; o < units; o++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let x = 0; x < W; x++)
          t[(h * W * C + x * C + c) * units + o] = w[o * C * H * W + c * H * W + h * W + x]!;
  return t;
}

/** The tfjs weights (kernel, bias per layer, in model.getWeights() order) from PyTorch's tensors. */
export function tfjsWeightsFromPyTorch(
  w: PyTorchEncoderWeights,
): { values: Float32Array; shape: number[] }[] {
  return [
    { values: convToTf(w.conv1Weight, 4, 1, 5), shape: [5, 5, 1, 4] },
    { values: w.conv1Bias, shape: [4] },
    { values: convToTf(w.conv2Weight, 8, 4, 5), shape: [5, 5, 4, 8] },
    { values: w.conv2Bias, shape: [8] },
    { values: denseToTf(w.denseWeight), shape: [3200, 10] },
    { values: w.denseBias, shape: [10] },
  ];
}
