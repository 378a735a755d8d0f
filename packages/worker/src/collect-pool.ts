/**
 * Collect in the pool (issue 17's "what to collect next", core's collect.ts): the reference's
 * radii, its flagged samples' deficits, the pool rows within R of each, and the radii of reference
 * + selected, each on the pool's threads; core's steps (collect-steps.ts) join them, so the answer
 * is core's collect to the bit.
 */
import { type CollectOptions, type CollectResult, type Embeddings, selectRows } from "@lacuna/core";
import {
  buildSpatialIndex,
  collectFlagged,
  collectPicks,
  collectUnion,
  coverRelation,
  finishCollect,
  leafSizeFor,
  prepareCollect,
} from "@lacuna/core/internal";
import { poolDeficits } from "./deficit-blocks.js";
import type { KnnPool } from "./pool.js";
import type { CollectCoversTask } from "./protocol.js";
import type { ScheduledBlock } from "./scheduler.js";
import { shareIndex, toShared } from "./shared-index.js";

/** The steps a collect reports progress for, in order. */
export type CollectStep = "reference" | "deficits" | "covers" | "recompute";

export interface PoolCollectOptions extends CollectOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (step: CollectStep, done: number, total: number) => void;
}

/** Ids of the shared pool indexes; below the deficits' (deficit-blocks.ts), never reused. */
let coverIds = -1_800_000_000;

/**
 * Core's collect (same checks, picks, gains, deficits and recomputed coverage, to the bit), every
 * search on the pool's threads with progress per step and cancellation.
 * @throws as core's collect, before any search; CancelledError, WorkerFailedError
 */
export async function poolCollect(
  pool: KnnPool,
  reference: Embeddings,
  candidates: Embeddings,
  budget: number,
  options: PoolCollectOptions,
): Promise<CollectResult> {
  const space = prepareCollect(reference, candidates, budget, options);
  const { k } = space;
  const { signal } = options;
  const progress = (step: CollectStep) =>
    options.onProgress && ((done: number, total: number) => options.onProgress!(step, done, total));
  const own = await pool.computeRadii(space.reference, k, {
    signal,
    onProgress: progress("reference"),
  });
  const flagged = collectFlagged(space, own.radii);
  const { R, U } = flagged;
  const deficits = await poolDeficits(pool, space.reference, space.reference, U, R, k, {
    signal,
    onProgress: progress("deficits"),
  });
  const index = shareIndex(buildSpatialIndex(space.pool, leafSizeFor(k), true), --coverIds);
  const queries = toShared(selectRows(space.reference, U).data as Float64Array);
  const cancel = new SharedArrayBuffer(4);
  const m = U.length;
  const count = Math.min(m, pool.threads * 16);
  const blocks: (ScheduledBlock<CollectCoversTask> & { slot: number })[] = [];
  for (let b = 0; b < count; b++) {
    const t0 = Math.floor((b * m) / count);
    const t1 = Math.floor(((b + 1) * m) / count);
    blocks.push({
      task: { kind: "collect-covers", cancel, index, queries, radius: R, t0, t1 },
      units: t1 - t0,
      what: `the pool rows within reach of flagged rows ${t0}..${t1 - 1}`,
      slot: blocks.length,
    });
  }
  const slices: Int32Array[] = new Array<Int32Array>(blocks.length);
  await pool.runBlocks(
    blocks,
    (block, pairs) => {
      slices[block.slot] = pairs;
    },
    cancel,
    m,
    { signal, onProgress: progress("covers") },
  );
  // slices in block (ascending t) order: each pool row's list of targets comes out ascending
  const picks = collectPicks(space, deficits, coverRelation(space.pool.n, slices));
  const union = collectUnion(space, picks.selected);
  const recomputed = await pool.computeRadii(union, k, {
    signal,
    onProgress: progress("recompute"),
  });
  return finishCollect(space, flagged, deficits, picks, recomputed.radii);
}
