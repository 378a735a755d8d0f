import { createRequire } from "node:module";
import { dirname } from "node:path";
import type * as TfCore from "@tensorflow/tfjs-core";

type Tf = typeof TfCore;

export interface TfRuntime {
  readonly tf: Tf;
  /** "tensorflow" (libtensorflow through tfjs-node-gpu, on CUDA) or "wasm". */
  readonly backend: string;
}

let loading: Promise<TfRuntime> | undefined;

/**
 * TensorFlow.js for this thread, loaded once: the native `tensorflow` backend when the optional
 * @tensorflow/tfjs-node-gpu is installed and built (its install script downloads libtensorflow,
 * which npm only runs once approved: `npm install-scripts approve @tensorflow/tfjs-node-gpu`), else
 * the WebAssembly backend (XNNPACK, SIMD) from the files its npm package ships, nothing downloaded.
 * The wasm backend is single-threaded in Node; the pool supplies the threads.
 */
export function tfRuntime(): Promise<TfRuntime> {
  loading ??= (async () => {
    const native = await loadNative();
    if (native) return native;
    const tf = await import("@tensorflow/tfjs-core");
    // registers the plain-JavaScript "cpu" backend, the slowest, for comparison and as a last resort
    await import("@tensorflow/tfjs-backend-cpu");
    const { setWasmPaths } = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    setWasmPaths(
      `${dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"))}/`,
    );
    if (!(await tf.setBackend("wasm")))
      throw new Error("TensorFlow.js could not start its wasm backend");
    await tf.ready();
    return { tf, backend: "wasm" };
  })();
  return loading;
}

async function loadNative(): Promise<TfRuntime | null> {
  try {
    const tf = (await import("@tensorflow/tfjs-node-gpu")) as unknown as Tf;
    await tf.ready();
    return tf.getBackend() === "tensorflow" ? { tf, backend: "tensorflow" } : null;
  } catch {
    return null; // not installed, or installed without its libtensorflow binding: use wasm
  }
}

/**
 * Switches this thread's TensorFlow.js backend ("wasm", "cpu", or "tensorflow" when tfjs-node-gpu
 * loaded) and returns the runtime with its new name.
 * @throws Error naming the backends available when `name` is not one of them
 */
export async function useTfBackend(runtime: TfRuntime, name: string): Promise<TfRuntime> {
  const ok = await runtime.tf.setBackend(name).catch(() => false);
  if (!ok) {
    const known = Object.keys(runtime.tf.engine().registryFactory).join(", ");
    throw new Error(`TensorFlow.js backend "${name}" is not available here; available: ${known}`);
  }
  await runtime.tf.ready();
  return { tf: runtime.tf, backend: name };
}
