/** webgpu (npm, optional): Dawn's WebGPU for Node. Only what Lacuna calls is declared. */
declare module "webgpu" {
  export function create(options: string[]): unknown;
  export const globals: object;
}
