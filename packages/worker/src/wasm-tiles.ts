/**
 * The partition kernel's distance tiles in WebAssembly SIMD (assembly/partition-kernel.ts): core's
 * TileKernel for one spatial index, its leaves copied once into this thread's wasm memory,
 * dimension-major. Used from BALL_MIN_DIMENSIONS up, where the distances are the work: on 20 000 x
 * 512 in ten clusters (k = 20, 2 threads) it took the pool from 22.0 s to ... s. At d = 10 the
 * per-leaf bookkeeping dominates and the scalar kernel is as fast.
 */
import { readFileSync } from "node:fs";
import type { SpatialIndex, TileKernel } from "@lacuna/core";

interface TileExports {
  tile(
    qBlock: number,
    qPad: number,
    positions: number,
    bounds: number,
    m: number,
    lBlock: number,
    lLen: number,
    lPad: number,
    d: number,
    out: number,
  ): void;
}

let module: WebAssembly.Module | null | undefined;

/** The compiled kernel, or null where this runtime cannot run it (no wasm SIMD, file missing). */
function kernelModule(): WebAssembly.Module | null {
  if (module === undefined) {
    try {
      module = new WebAssembly.Module(
        // ../dist from both src (tests) and dist: the build puts the kernel there
        readFileSync(new URL("../dist/partition-kernel.wasm", import.meta.url)),
      );
    } catch {
      module = null;
    }
  }
  return module;
}

/** wasm32 addresses up to 4 GiB; stay well under, and leave bigger indexes to the scalar kernel. */
const MAX_BYTES = 2 ** 31;

export class WasmTileKernel implements TileKernel {
  readonly out: Float64Array;
  private readonly exports: TileExports;
  private readonly f64: Float64Array;
  private readonly i32: Int32Array;
  private readonly block: Int32Array;
  private readonly pad: Int32Array;
  private readonly lengths: Int32Array;
  private readonly positions: number;
  private readonly bounds: number;
  private readonly outAt: number;

  private constructor(
    private readonly index: SpatialIndex,
    wasm: WebAssembly.Module,
    layout: { block: Int32Array; pad: Int32Array; widest: number; bytes: number },
  ) {
    const { d, points, leafStart } = index;
    const leaves = leafStart.length - 1;
    this.block = layout.block;
    this.pad = layout.pad;
    this.lengths = new Int32Array(leaves);
    let at = layout.bytes;
    this.positions = at;
    at += layout.widest * 4;
    at = (at + 7) & ~7;
    this.bounds = at;
    at += layout.widest * 8;
    this.outAt = at;
    at += layout.widest * layout.widest * 8;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(at / 65536) });
    this.exports = new WebAssembly.Instance(wasm, { env: { memory, abort: () => {} } })
      .exports as unknown as TileExports;
    this.f64 = new Float64Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    this.out = new Float64Array(memory.buffer, this.outAt, layout.widest * layout.widest);
    for (let l = 0; l < leaves; l++) {
      const start = leafStart[l]!;
      const len = leafStart[l + 1]! - start;
      const pad = this.pad[l]!;
      const base = this.block[l]! / 8;
      this.lengths[l] = len;
      // padding repeats the leaf's last point: computed, never read
      for (let j = 0; j < pad; j++) {
        const src = (start + Math.min(j, len - 1)) * d;
        for (let t = 0; t < d; t++) this.f64[base + t * pad + j] = points[src + t]!;
      }
    }
  }

  /** A kernel for `index`, or null where wasm SIMD is missing or the index is too big for it. */
  static create(index: SpatialIndex): WasmTileKernel | null {
    const wasm = kernelModule();
    if (wasm === null) return null;
    const { d, leafStart } = index;
    const leaves = leafStart.length - 1;
    const block = new Int32Array(leaves);
    const pad = new Int32Array(leaves);
    let bytes = 0;
    let widest = 0;
    for (let l = 0; l < leaves; l++) {
      pad[l] = (leafStart[l + 1]! - leafStart[l]! + 7) & ~7; // the kernel takes eight at a time
      block[l] = bytes;
      bytes += pad[l]! * d * 8;
      widest = Math.max(widest, pad[l]!);
    }
    if (bytes + widest * widest * 8 + widest * 12 + 8 > MAX_BYTES) return null;
    return new WasmTileKernel(index, wasm, { block, pad, widest, bytes });
  }

  tile(q: number, l: number, positions: Int32Array, bounds: Float64Array, m: number): number {
    this.i32.set(positions.subarray(0, m), this.positions / 4);
    this.f64.set(bounds.subarray(0, m), this.bounds / 8);
    this.exports.tile(
      this.block[q]!,
      this.pad[q]!,
      this.positions,
      this.bounds,
      m,
      this.block[l]!,
      this.lengths[l]!,
      this.pad[l]!,
      this.index.d,
      this.outAt,
    );
    return this.pad[l]!;
  }
}
