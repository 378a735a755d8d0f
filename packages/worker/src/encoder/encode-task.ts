import { ComputationStoppedError } from "@lacuna/core";
import type { EncodeBlockResult, EncodeTask } from "../protocol.js";
import { tfRuntime, useTfBackend } from "../tfjs/runtime.js";
import { encodeImages } from "./encode.js";
import { type LoadedEncoder, loadEncoder } from "./load.js";

/** Models this thread has loaded, by directory: loading costs far more than a batch. */
const models = new Map<string, Promise<LoadedEncoder>>();

/** Runs an encode task in a worker: returns the block's codes and the backend that ran. */
export async function runEncodeTask(task: EncodeTask): Promise<EncodeBlockResult> {
  let runtime = await tfRuntime();
  if (task.tfBackend !== "auto" && runtime.tf.getBackend() !== task.tfBackend) {
    runtime = await useTfBackend(runtime, task.tfBackend);
  } else runtime = { tf: runtime.tf, backend: runtime.tf.getBackend() };
  let loading = models.get(task.modelDir);
  if (!loading) {
    loading = loadEncoder(runtime, task.modelDir);
    models.set(task.modelDir, loading);
    loading.catch(() => models.delete(task.modelDir));
  }
  const encoder = await loading;
  const [h, w, c] = encoder.inputShape as [number, number, number];
  const size = h * w * c;
  const pixels = new Uint8Array(task.pixels, task.start * size, task.count * size);
  const flag = new Int32Array(task.cancel);
  const codes = encodeImages(
    runtime,
    encoder,
    pixels,
    task.count,
    task.batchSize,
    undefined,
    () => {
      if (Atomics.load(flag, 0) !== 0) throw new ComputationStoppedError();
      return false;
    },
  );
  return { codes, backend: runtime.backend };
}
