/**
 * The partition search's inner loop in WebAssembly SIMD (assembly/partition-kernel.ts): core's
 * LeafKernel for one spatial index, its leaves copied once, dimension-major, with their boxes and
 * balls, into a WebAssembly memory that the call's threads share (kernel-memory.ts); each thread
 * has its own scratch in it. Figures in the README's benchmark section.
 */
import { readFileSync } from "node:fs";
import { BALL_MIN_DIMENSIONS, type LeafKernel, type SpatialIndex } from "@lacuna/core/internal";
import { claimScratch, ensureLayout, type KernelMemory, newKernelMemory } from "./kernel-memory.js";

interface KernelExports {
  layout(
    blocks: number,
    pads: number,
    starts: number,
    low: number,
    high: number,
    centre: number,
    radius: number,
    bounds: number,
    active: number,
    hitQuery: number,
    hitPoint: number,
    hitDist: number,
    d: number,
    float32: number,
  ): void;
  scan(q: number, l: number, balls: number): number;
  evaluations(): number;
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

/**
 * wasm32 addresses up to 4 GiB: stay well under, and leave bigger indexes to the scalar kernel.
 * The hit arrays (16 bytes for each pair of points of the widest leaf) get at most 64 MiB a
 * thread, which leaves of up to 2048 points (k up to about 500) fit.
 */
const MAX_BYTES = 2 ** 31;
const MAX_HIT_BYTES = 2 ** 26;

/** Byte offsets of the kernel's arrays in its memory, each 8-byte aligned (plain arithmetic: no
 * 32-bit wrap past 2 GiB, so the size check below sees the real total). */
class Layout {
  bytes = 0;
  take(count: number, size: 4 | 8): number {
    const at = this.bytes;
    this.bytes = Math.ceil((at + count * size) / 8) * 8;
    return at;
  }
}

/** How a thread stores the leaves' coordinates: float32 (exact for float32 data) or float64. */
export type CoordinateLayout = "narrow" | "wide";

/**
 * Whether float32 embeddings are stored as float32 in each thread's memory: half the bytes, the
 * same sums (each value widens exactly as it is loaded), but the widening made the distance loop
 * about 1.15x slower from 32-d (in-process A/B, 6000 x 512 clustered and 5000 x 256 MNIST
 * projection; 0.91x at 16-d). So: below 32-d, and wherever the float64 copy would pass 256 MiB a
 * thread (1M x 16 and up: memory, not speed, is then what limits the run).
 */
export function preferNarrow(n: number, d: number): boolean {
  return d < BALL_MIN_DIMENSIONS || 8 * n * d > 2 ** 28;
}

/** Thrown inside create() when the index does not fit the kernel; create() answers null. */
class TooLarge extends Error {}

/** Byte offsets of the shared layout's arrays (the same in every thread: computed from the index). */
interface LeafLayout {
  readonly leaves: number;
  readonly narrow: boolean;
  readonly pads: Int32Array;
  /** Byte offset of each leaf's coordinates. */
  readonly blocks: Int32Array;
  readonly widest: number;
  readonly at: Record<"blocks" | "pads" | "starts" | "low" | "high" | "centre" | "radius", number>;
  readonly bytes: number;
}

function leafLayout(index: SpatialIndex, layout: CoordinateLayout | undefined): LeafLayout {
  const { n, d, points, leafStart } = index;
  const leaves = leafStart.length - 1;
  const narrow =
    (layout === "narrow" || (layout === undefined && preferNarrow(n, d))) &&
    (points instanceof Float32Array || points.every((v) => Math.fround(v) === v));
  const pads = new Int32Array(leaves);
  const blocks = new Int32Array(leaves);
  const at = new Layout();
  let widest = 0;
  for (let l = 0; l < leaves; l++) {
    // eight points at a time in the kernel; the padding repeats the leaf's last point
    pads[l] = (leafStart[l + 1]! - leafStart[l]! + 7) & ~7;
    blocks[l] = at.take(pads[l]! * d, narrow ? 4 : 8);
    widest = Math.max(widest, pads[l]!);
  }
  const offsets = {
    blocks: at.take(leaves, 4),
    pads: at.take(leaves, 4),
    starts: at.take(leaves + 1, 4),
    low: at.take(leaves * d, 8),
    high: at.take(leaves * d, 8),
    centre: at.take(leaves * d, 8),
    radius: at.take(leaves, 8),
  };
  return { leaves, narrow, pads, blocks, widest, at: offsets, bytes: at.bytes };
}

/** Writes the leaves (dimension-major, padded), their boxes and balls at the layout's offsets. */
function writeLayout(index: SpatialIndex, lay: LeafLayout, buffer: SharedArrayBuffer): void {
  const { d, points, leafStart, boxLow, boxHigh, centre, radius } = index;
  const { leaves, narrow, pads, blocks, at } = lay;
  const size = narrow ? 4 : 8;
  const coordinates = narrow ? new Float32Array(buffer) : new Float64Array(buffer);
  for (let l = 0; l < leaves; l++) {
    const start = leafStart[l]!;
    const len = leafStart[l + 1]! - start;
    const pad = pads[l]!;
    const base = blocks[l]! / size;
    for (let j = 0; j < pad; j++) {
      const src = (start + Math.min(j, len - 1)) * d;
      for (let t = 0; t < d; t++) coordinates[base + t * pad + j] = points[src + t]!;
    }
  }
  new Int32Array(buffer, at.blocks, leaves).set(blocks);
  new Int32Array(buffer, at.pads, leaves).set(pads);
  new Int32Array(buffer, at.starts, leaves + 1).set(leafStart);
  new Float64Array(buffer, at.low, leaves * d).set(boxLow);
  new Float64Array(buffer, at.high, leaves * d).set(boxHigh);
  new Float64Array(buffer, at.centre, leaves * d).set(centre);
  new Float64Array(buffer, at.radius, leaves).set(radius);
}

export class WasmLeafKernel implements LeafKernel {
  readonly bounds: Float64Array;
  readonly hitQuery: Int32Array;
  readonly hitPoint: Int32Array;
  readonly hitDist: Float64Array;
  /** Whether the leaves are stored as float32 (every coordinate exactly a float32). */
  readonly narrow: boolean;
  private readonly exports: KernelExports;

  private constructor(
    index: SpatialIndex,
    wasm: WebAssembly.Module,
    layout: CoordinateLayout | undefined,
    kernel: KernelMemory,
    stop: (() => boolean) | undefined,
  ) {
    const { n, d } = index;
    const lay = leafLayout(index, layout);
    const { widest } = lay;
    // this thread's scratch: every query's bound (one more than n: the kernel reads bounds two
    // queries at a time), the active queries of a leaf, the hits of a leaf pair
    const scratch = new Layout();
    const own = {
      bounds: scratch.take(n + 1, 8),
      active: scratch.take(widest, 4),
      hitQuery: scratch.take(widest * widest, 4),
      hitPoint: scratch.take(widest * widest, 4),
      hitDist: scratch.take(widest * widest, 8),
    };
    if (lay.bytes + scratch.bytes > MAX_BYTES || widest * widest * 16 > MAX_HIT_BYTES)
      throw new TooLarge();
    const written = ensureLayout(
      kernel,
      lay.bytes,
      (buffer) => writeLayout(index, lay, buffer),
      stop,
    );
    const base = written ? claimScratch(kernel, scratch.bytes) : null;
    if (base === null) throw new TooLarge();
    const { memory } = kernel;
    this.exports = new WebAssembly.Instance(wasm, { env: { memory, abort: () => {} } })
      .exports as unknown as KernelExports;
    const buffer = memory.buffer;
    this.narrow = lay.narrow;
    this.bounds = new Float64Array(buffer, base + own.bounds, n + 1).fill(Infinity);
    this.hitQuery = new Int32Array(buffer, base + own.hitQuery, widest * widest);
    this.hitPoint = new Int32Array(buffer, base + own.hitPoint, widest * widest);
    this.hitDist = new Float64Array(buffer, base + own.hitDist, widest * widest);
    const o = lay.at;
    this.exports.layout(
      o.blocks,
      o.pads,
      o.starts,
      o.low,
      o.high,
      o.centre,
      o.radius,
      base + own.bounds,
      base + own.active,
      base + own.hitQuery,
      base + own.hitPoint,
      base + own.hitDist,
      d,
      lay.narrow ? 1 : 0,
    );
  }

  /**
   * A kernel for `index`, or null where wasm SIMD is missing or the index is too big for it.
   * `layout` forces float32 ("narrow", where every coordinate is exactly a float32) or float64
   * storage (tests, benchmarks); by default preferNarrow decides. Threads given the same `shared`
   * memory (a call's, see kernel-memory.ts) share one layout of the leaves, the first one writing
   * it; without it (or null) the kernel has a memory of its own. `stop` ends a wait for another thread's
   * layout with core's ComputationStoppedError.
   */
  static create(
    index: SpatialIndex,
    layout?: CoordinateLayout,
    shared?: KernelMemory | null,
    stop?: () => boolean,
  ): WasmLeafKernel | null {
    const wasm = kernelModule();
    if (wasm === null) return null;
    try {
      return new WasmLeafKernel(index, wasm, layout, shared ?? newKernelMemory(), stop);
    } catch (error) {
      // too large for the kernel, or the engine refused the memory
      if (error instanceof TooLarge || error instanceof RangeError) return null;
      throw error;
    }
  }

  /** Calls of scan so far: the leaf pairs visited (each costs a box or ball test per query). */
  scans = 0;

  scan(q: number, l: number, balls: boolean): number {
    this.scans++;
    return this.exports.scan(q, l, balls ? 1 : 0);
  }

  /** Query-point distances computed (or begun) by scan since this kernel was made: the work the
   * tests count (0 .. n^2, n^2 with no pruning at all). */
  get evaluations(): number {
    return this.exports.evaluations();
  }
}
