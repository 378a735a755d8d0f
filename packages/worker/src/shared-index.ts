/**
 * Moving buffers and core's SpatialIndex between the pool and its workers: the pool copies each
 * array once into shared memory, every worker views the same memory (no copy per task).
 */
import type { SpatialIndex } from "@lacuna/core/internal";
import { tryKernelMemory } from "./kernel-memory.js";
import type { SharedIndex } from "./protocol.js";

/**
 * `array`'s bytes in a SharedArrayBuffer: its own buffer when it already is one, exactly (as the
 * .npy reader allocates large arrays: no second copy), else a copy.
 */
export function toShared(
  array: Float32Array | Float64Array | Int32Array | Uint8Array,
): SharedArrayBuffer {
  if (isWholeShared(array)) return array.buffer as SharedArrayBuffer;
  const shared = new SharedArrayBuffer(array.byteLength);
  new Uint8Array(shared).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return shared;
}

/** Whether `array` is the whole of a SharedArrayBuffer (toShared then makes no copy). */
export function isWholeShared(array: ArrayBufferView): boolean {
  const { buffer } = array;
  return (
    buffer instanceof SharedArrayBuffer &&
    array.byteOffset === 0 &&
    array.byteLength === buffer.byteLength
  );
}

/**
 * The index in shared memory, numbered `id` (workers keep what they derive from it by id), with
 * an empty kernel memory that the partition's threads lay the index out in once, for all of them.
 */
export function shareIndex(index: SpatialIndex, id: number): SharedIndex {
  return {
    id,
    n: index.n,
    d: index.d,
    points: toShared(index.points),
    order: toShared(index.order),
    leafStart: toShared(index.leafStart),
    boxLow: toShared(index.boxLow),
    boxHigh: toShared(index.boxHigh),
    centre: toShared(index.centre),
    radius: toShared(index.radius),
    kernel: tryKernelMemory(),
  };
}

/**
 * Typed views of a shared index, as core's search reads it. Its points are float32 where the index
 * was built narrow (their buffer then holds 4 n d bytes, not 8 n d: the size tells them apart).
 */
export function viewIndex(shared: SharedIndex): SpatialIndex {
  const narrow = shared.points.byteLength === shared.n * shared.d * 4;
  return {
    n: shared.n,
    d: shared.d,
    points: narrow ? new Float32Array(shared.points) : new Float64Array(shared.points),
    order: new Int32Array(shared.order),
    leafStart: new Int32Array(shared.leafStart),
    boxLow: new Float64Array(shared.boxLow),
    boxHigh: new Float64Array(shared.boxHigh),
    centre: new Float64Array(shared.centre),
    radius: new Float64Array(shared.radius),
  };
}
