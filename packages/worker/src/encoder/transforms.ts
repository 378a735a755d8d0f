/**
 * The seed tutorial's MNIST transforms, in float32 as torchvision computes them: ToTensor (x / 255),
 * then Normalize((0.1307,), (0.3081,)): (x - 0.1307) / 0.3081.
 */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** Names this preprocessing in cache keys: change the transform, change the name. */
export const MNIST_TRANSFORMS_ID = `mnist-normalize(${MNIST_MEAN},${MNIST_STD})/float32`;

const f = Math.fround;
const MEAN32 = f(MNIST_MEAN);
const STD32 = f(MNIST_STD);

/** Normalises pixel bytes into `out` (same length), every step rounded to float32. */
export function normalizeMnist(
  pixels: Uint8Array,
  out: Float32Array = new Float32Array(pixels.length),
): Float32Array {
  for (let p = 0; p < pixels.length; p++) out[p] = f(f(f(pixels[p]! / 255) - MEAN32) / STD32);
  return out;
}
