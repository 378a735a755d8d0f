/**
 * Cross-set search in the pool (issue 17): for every row of a query set, its k nearest rows of a
 * reference set, nothing excluded. Both sets' spatial indexes go to shared memory once; the work
 * is cut by leaves of the query's index into blocks that core's crossLeafNeighbourHeaps answers in
 * the workers, and each block's rows are put back in query row order as they land.
 */
import type { Embeddings, NearestNeighbours } from "@lacuna/core";
import { buildSpatialIndex, leafSizeFor } from "@lacuna/core/internal";
import type { CrossBlockResult, CrossTask } from "./protocol.js";
import type { ScheduledBlock } from "./scheduler.js";
import { shareIndex } from "./shared-index.js";

/** A block of query leaves; `rows` are the query rows of its heap rows, in order. */
export interface CrossBlock extends ScheduledBlock<CrossTask> {
  readonly rows: Int32Array;
}

/** What crossBlocks plans: the blocks, the merge of each result, and the finished answer. */
export interface CrossPlan {
  readonly blocks: readonly CrossBlock[];
  readonly onResult: (block: CrossBlock, result: CrossBlockResult) => void;
  readonly result: () => NearestNeighbours;
}

/**
 * Ids of the indexes shared by cross calls. A cross task keeps nothing of an index between tasks,
 * but ids count down from -1 all the same, so that they never meet the partition calls' ids (which
 * count up, and by which a worker keeps its WebAssembly copy of an index).
 */
let crossIds = 0;

/**
 * Plans a cross search of `query` against `reference` (same width, k in [1, reference rows],
 * checked by the caller): about 32 blocks per thread of query leaves (small blocks even out the
 * uneven cost of clustered data, as the self search's partitionBlocks found). The merged answer
 * holds, per query row, its k nearest reference rows ascending by (distance, reference index),
 * with Euclidean distances: what core's crossNearestNeighbours returns, to the bit.
 */
export function crossBlocks(
  reference: Embeddings,
  query: Embeddings,
  k: number,
  cancel: SharedArrayBuffer,
  threads: number,
): CrossPlan {
  const leaf = leafSizeFor(k);
  const qi = buildSpatialIndex(query, leaf);
  const sharedRef = shareIndex(buildSpatialIndex(reference, leaf), --crossIds);
  const sharedQuery = shareIndex(qi, --crossIds);
  const leaves = qi.leafStart.length - 1;
  const count = Math.min(leaves, threads * 32);
  const blocks: CrossBlock[] = [];
  for (let b = 0; b < count; b++) {
    const leafA = Math.floor((b * leaves) / count);
    const leafB = Math.floor(((b + 1) * leaves) / count);
    const p0 = qi.leafStart[leafA]!;
    const p1 = qi.leafStart[leafB]!;
    if (p1 === p0) continue;
    blocks.push({
      task: { kind: "cross", cancel, reference: sharedRef, query: sharedQuery, k, leafA, leafB },
      rows: qi.order.subarray(p0, p1),
      units: p1 - p0,
      what: `the reference neighbours of query leaves ${leafA}..${leafB - 1}`,
    });
  }
  const indices = new Int32Array(query.n * k);
  const distances = new Float64Array(query.n * k);
  return {
    blocks,
    onResult: (block, result) => {
      for (let r = 0; r < block.rows.length; r++) {
        const row = block.rows[r]!;
        indices.set(result.indices.subarray(r * k, r * k + k), row * k);
        distances.set(result.distances.subarray(r * k, r * k + k), row * k);
      }
    },
    result: () => ({ n: query.n, k, indices, distances }),
  };
}
