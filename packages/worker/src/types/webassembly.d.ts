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
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    /** An ArrayBuffer, or a SharedArrayBuffer for a shared memory. */
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    /** Grows by `pages` pages of 64 KiB; answers the size before, in pages. Throws RangeError. */
    grow(pages: number): number;
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
