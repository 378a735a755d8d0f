/**
 * How a radii call is cut into worker tasks: leaves of the spatial index for the partition
 * kernel, query rows for the kernels that read the embeddings as given (gpu.js, the GEMMs).
 */
import type { Embeddings } from "@lacuna/core";
import type { SpatialIndex } from "@lacuna/core/internal";
import type { GpuMode, RadiiTask } from "./protocol.js";
import type { ScheduledBlock } from "./scheduler.js";
import { shareIndex, toShared } from "./shared-index.js";

/** A radii block: `rows` maps its results back (null: rows in order from `row0`). */
export interface RadiiBlock extends ScheduledBlock<RadiiTask> {
  readonly rows: Int32Array | null;
  readonly row0: number;
}

/** Numbers each call's shared index or data (workers keep their copies of them by this). */
let sharedIds = 0;

/** A new id for a call's shared data (rowBlocks takes one given ahead: native-prepare's). */
export function nextDataId(): number {
  return ++sharedIds;
}

/**
 * Leaf ranges of `index`, many small ones: clustered data makes blocks' costs uneven, and the
 * last block's thread otherwise finishes alone (measured on 60k x 10, 2 threads: 8 blocks a thread
 * 8.1 s, 32 a thread 6.4 s).
 */
export function partitionBlocks(
  index: SpatialIndex,
  k: number,
  cancel: SharedArrayBuffer,
  threads: number,
): RadiiBlock[] {
  const shared = shareIndex(index, ++sharedIds);
  const leaves = index.leafStart.length - 1;
  const count = Math.min(leaves, threads * 32);
  const blocks: RadiiBlock[] = [];
  for (let b = 0; b < count; b++) {
    const leafA = Math.floor((b * leaves) / count);
    const leafB = Math.floor(((b + 1) * leaves) / count);
    const p0 = index.leafStart[leafA]!;
    const p1 = index.leafStart[leafB]!;
    blocks.push({
      task: { kind: "partition", cancel, index: shared, k, leafA, leafB },
      rows: index.order.subarray(p0, p1),
      row0: p0,
      units: p1 - p0,
      what: `the radii of leaves ${leafA}..${leafB - 1}`,
    });
  }
  return blocks;
}

export type RowKernel =
  | { readonly kind: "gpujs"; readonly mode: GpuMode }
  | { readonly kind: "matmul" }
  | { readonly kind: "native-gemm"; readonly threads: number; readonly symmetric: boolean };

/**
 * Blocks of `size` query rows of [from, to) (default: all rows). Float32 embeddings are shared once
 * and read as both the exact and the float32 copy; float64 ones get a float32 copy beside them.
 * `dataId` numbers the shared data (a new one by default; the one a native-prepare task used, so
 * the blocks find its copy).
 */
export function rowBlocks(
  embeddings: Embeddings,
  k: number,
  cancel: SharedArrayBuffer,
  kernel: RowKernel,
  size: number,
  from = 0,
  to = embeddings.n,
  dataId = nextDataId(),
): RadiiBlock[] {
  const { n, d } = embeddings;
  const data = toShared(embeddings.data);
  const f32 = embeddings.data instanceof Float32Array;
  // only gpu.js reads a shared float32 copy; the GEMM threads centre their own (centre.ts)
  const data32 =
    kernel.kind !== "gpujs" || f32 ? data : toShared(Float32Array.from(embeddings.data));
  const dtype = f32 ? "float32" : "float64";
  const blocks: RadiiBlock[] = [];
  for (let rowA = from; rowA < to; rowA += size) {
    const rowB = Math.min(to, rowA + size);
    const common = { cancel, data, dataId, dtype, n, d, k, rowA, rowB } as const;
    blocks.push({
      task:
        kernel.kind === "gpujs"
          ? { kind: "gpujs", mode: kernel.mode, data32, ...common }
          : kernel.kind === "matmul"
            ? { kind: "matmul", ...common }
            : {
                kind: "native-gemm",
                threads: kernel.threads,
                symmetric: kernel.symmetric,
                ...common,
              },
      rows: null,
      row0: rowA,
      units: rowB - rowA,
      what: `the radii of rows ${rowA}..${rowB - 1}`,
    });
  }
  return blocks;
}

/** `count` evenly spaced rows of the embeddings (a copy), for estimates on a sample. */
export function sampleRows(embeddings: Embeddings, count: number): Embeddings {
  const { n, d, data } = embeddings;
  const out =
    data instanceof Float32Array ? new Float32Array(count * d) : new Float64Array(count * d);
  for (let r = 0; r < count; r++) {
    const i = Math.floor((r * n) / count);
    out.set(data.subarray(i * d, i * d + d), r * d);
  }
  return { n: count, d, data: out };
}
