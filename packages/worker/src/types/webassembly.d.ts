/**
 * The part of the WebAssembly JavaScript API that wasm-tiles.ts uses. Node has it globally, but
 * TypeScript declares it only in the DOM and web-worker libs, which the project leaves out.
 */
declare namespace WebAssembly {
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- opaque: only constructed and passed on
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
