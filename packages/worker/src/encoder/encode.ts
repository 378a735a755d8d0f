import type { TfRuntime } from "../tfjs/runtime.js";
import type { LoadedEncoder } from "./load.js";
import { normalizeMnist } from "./transforms.js";

/**
 * Encodes `count` images of h x w x c bytes (row-major, back to back in `pixels`) with the seed's
 * MNIST normalisation, in batches; returns count x dimensions float32 codes. `onBatch` reports
 * images done; `shouldStop` is asked between batches.
 */
export function encodeImages(
  runtime: TfRuntime,
  encoder: LoadedEncoder,
  pixels: Uint8Array,
  count: number,
  batchSize: number,
  onBatch?: (done: number) => void,
  shouldStop?: () => boolean,
): Float32Array {
  const { tf } = runtime;
  const [h, w, c] = encoder.inputShape as [number, number, number];
  const size = h * w * c;
  if (pixels.length !== count * size) {
    throw new Error(
      `encodeImages: ${pixels.length} bytes for ${count} images of ${h} x ${w} x ${c}`,
    );
  }
  const out = new Float32Array(count * encoder.dimensions);
  const input = new Float32Array(batchSize * size);
  for (let start = 0; start < count; start += batchSize) {
    if (shouldStop?.()) throw new Error("encoding was stopped");
    const b = Math.min(batchSize, count - start);
    const batch = input.subarray(0, b * size);
    normalizeMnist(pixels.subarray(start * size, (start + b) * size), batch);
    const codes = tf.tidy(
      () => encoder.model.predict(tf.tensor4d(batch, [b, h, w, c])) as ReturnType<typeof tf.tensor>,
    );
    out.set(codes.dataSync() as Float32Array, start * encoder.dimensions);
    codes.dispose();
    onBatch?.(start + b);
  }
  return out;
}
