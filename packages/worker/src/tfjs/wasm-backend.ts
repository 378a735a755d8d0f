import { createRequire } from "node:module";
import { dirname } from "node:path";

import type * as TfCore from "@tensorflow/tfjs-core";

type Tf = typeof TfCore;

let loading: Promise<Tf> | undefined;

/**
 * TensorFlow.js on its WebAssembly backend (XNNPACK, SIMD), loaded once per thread from the files
 * the npm package ships: nothing is downloaded. Single-threaded in Node; the pool supplies threads.
 */
export function tfWasm(): Promise<Tf> {
  loading ??= (async () => {
    const tf = await import("@tensorflow/tfjs-core");
    const { setWasmPaths } = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    setWasmPaths(
      `${dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"))}/`,
    );
    if (!(await tf.setBackend("wasm")))
      throw new Error("TensorFlow.js could not start its wasm backend");
    await tf.ready();
    return tf;
  })();
  return loading;
}
