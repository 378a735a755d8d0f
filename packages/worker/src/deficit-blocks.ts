/**
 * Deficits in the pool (issue 17's definition, core's deficits.ts): the reference's spatial index
 * and the flagged query rows go to shared memory once; blocks of rows run core's rangeDeficits
 * (range counts stopping at k) on the threads, so the answer is core's selfDeficits /
 * crossDeficits to the bit.
 */
import { type Embeddings, selectRows } from "@lacuna/core";
import {
  assertSameWidth,
  buildSpatialIndex,
  leafSizeFor,
  validateDeficitInputs,
} from "@lacuna/core/internal";
import type { KnnPool } from "./pool.js";
import type { CallOptions } from "./pool-options.js";
import type { GapDeficitsTask } from "./protocol.js";
import type { ScheduledBlock } from "./scheduler.js";
import { shareIndex, toShared } from "./shared-index.js";

/** Ids of the shared reference indexes; below the gap regions' (gap-blocks.ts), never reused. */
let deficitIds = -1_500_000_000;

/**
 * The deficits of rows `indices` of `query` against `reference` (pass the same set twice for a
 * plain coverage's flagged samples: each row then does not count itself), on all threads with
 * progress (rows done) and cancellation. Work: a range search per row, O(rows x (leaves + points
 * met) x d), each distance abandoned once it passes the radius.
 * @throws core's InvalidParameterError / InvalidEmbeddingsError (as selfDeficits, crossDeficits),
 *   CancelledError, WorkerFailedError
 */
export async function poolDeficits(
  pool: KnnPool,
  reference: Embeddings,
  query: Embeddings,
  indices: Int32Array,
  radius: number,
  k: number,
  options: CallOptions = {},
): Promise<Int32Array> {
  assertSameWidth(reference, query, "query");
  validateDeficitInputs(indices, query.n, radius, k);
  const self = reference === query;
  const m = indices.length;
  const index = shareIndex(buildSpatialIndex(reference, leafSizeFor(k), true), --deficitIds);
  const queries = toShared(selectRows(query, indices).data as Float64Array);
  const exclude = self ? toShared(indices) : null;
  const cancel = new SharedArrayBuffer(4);
  const count = Math.min(m, pool.threads * 16);
  const blocks: ScheduledBlock<GapDeficitsTask>[] = [];
  for (let b = 0; b < count; b++) {
    const t0 = Math.floor((b * m) / count);
    const t1 = Math.floor(((b + 1) * m) / count);
    blocks.push({
      task: { kind: "gap-deficits", cancel, index, queries, exclude, radius, k, t0, t1 },
      units: t1 - t0,
      what: `the deficits of flagged rows ${t0}..${t1 - 1}`,
    });
  }
  const out = new Int32Array(m);
  await pool.runBlocks(blocks, (block, part) => out.set(part, block.task.t0), cancel, m, options);
  return out;
}
