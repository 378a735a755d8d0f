/** webgpu (npm, optional): Dawn's WebGPU for Node. Only what Lacuna calls is declared. */
declare module "webgpu" {
  export function create(options: string[]): unknown;
  export const globals: object;
}

/** @tensorflow/tfjs-node-gpu (npm, optional): TensorFlow.js on libtensorflow with CUDA. */
declare module "@tensorflow/tfjs-node-gpu";
