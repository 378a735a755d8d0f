/**
 * Gap regions in the pool (issue 17's regions, core's gaps.ts): the flagged rows' spatial index
 * goes to shared memory once; the link searches run in blocks of index positions (each block
 * returns at most m - 1 joining pairs, merged here by core's linkRoots), then the medoids' distance
 * sums in blocks of region members. Both steps are core's functions (gap-steps.ts) on slices, so
 * the answer is core's gapRegions to the bit.
 */
import type { Embeddings, GapRegionOptions, GapRegions } from "@lacuna/core";
import {
  checkGapInputs,
  finishGapRegions,
  flaggedIndex,
  gapGroups,
  linkRoots,
  medoidOf,
  positionsOf,
} from "@lacuna/core/internal";
import type { KnnPool } from "./pool.js";
import type { GapLinksTask, GapSumsTask } from "./protocol.js";
import type { ScheduledBlock } from "./scheduler.js";
import { shareIndex, toShared } from "./shared-index.js";

/** Progress of the two steps, each with its own units: rows searched, then member pairs summed. */
export interface GapPoolOptions extends GapRegionOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (step: "links" | "medoids", done: number, total: number) => void;
}

/** Ids of the shared flagged indexes; below the cross calls' (cross-blocks.ts), never reused. */
let gapIds = -1_000_000_000;

/** Blocks per thread: small blocks even out the uneven cost of dense and sparse parts. */
const BLOCKS_PER_THREAD = 16;

/**
 * Core's gapRegions (same checks, regions, ids, medoids and order, to the bit) with the link
 * searches and the medoid sums on the pool's threads, with progress per step and cancellation.
 * Work: as core's, shared by the threads; memory: the flagged rows' index in shared memory
 * (m x d float64) and at most (blocks x m) joining pairs in flight.
 * @throws core's InvalidParameterError (as gapRegions), CancelledError, WorkerFailedError
 */
export async function poolGapRegions(
  pool: KnnPool,
  points: Embeddings,
  flagged: Int32Array,
  coverageRadius: number,
  deficits: Int32Array,
  options: GapPoolOptions = {},
): Promise<GapRegions> {
  const { threads } = pool;
  const checked = checkGapInputs(points, flagged, coverageRadius, deficits, options);
  const m = flagged.length;
  const { d } = points;
  const index = flaggedIndex(points, flagged, true);
  const shared = shareIndex(index, --gapIds);
  const count = Math.min(m, threads * BLOCKS_PER_THREAD);
  const cancel = new SharedArrayBuffer(4);
  const linkBlocks: ScheduledBlock<GapLinksTask>[] = [];
  for (let b = 0; b < count; b++) {
    const p0 = Math.floor((b * m) / count);
    const p1 = Math.floor(((b + 1) * m) / count);
    linkBlocks.push({
      task: { kind: "gap-links", cancel, index: shared, p0, p1, link: checked.linkDistance },
      units: p1 - p0,
      what: `the gap links of flagged positions ${p0}..${p1 - 1}`,
    });
  }
  const links: Int32Array[] = [];
  await pool.runBlocks(linkBlocks, (_block, pairs) => links.push(pairs), cancel, m, {
    signal: options.signal,
    onProgress: options.onProgress && ((done, total) => options.onProgress!("links", done, total)),
  });
  const groups = gapGroups(flagged, linkRoots(m, links));
  // a fresh flag: the scheduler sets a call's flag when the call ends, so each step has its own
  const sumsCancel = new SharedArrayBuffer(4);
  const plan = medoidBlocks(groups, positionsOf(index), shared.points, d, threads, sumsCancel);
  const sums = new Float64Array(m);
  await pool.runBlocks(
    plan.blocks,
    (block, part) => sums.set(part, block.task.s0),
    sumsCancel,
    plan.total,
    {
      signal: options.signal,
      onProgress:
        options.onProgress && ((done, total) => options.onProgress!("medoids", done, total)),
    },
  );
  const medoids = groups.map((slots, g) =>
    medoidOf(slots, sums.subarray(plan.starts[g]!, plan.starts[g + 1]!)),
  );
  return finishGapRegions(flagged, groups, medoids, deficits, checked);
}

/**
 * The medoid sums' blocks over the members of all regions back to back (region g at
 * [starts[g], starts[g + 1])), cut so that a block sums about 1/(threads * 16) of all member pairs:
 * a large region spreads over many blocks, many small ones share one. Units: member pairs.
 */
function medoidBlocks(
  groups: readonly (readonly number[])[],
  positions: Int32Array,
  points: SharedArrayBuffer,
  d: number,
  threads: number,
  cancel: SharedArrayBuffer,
): { blocks: ScheduledBlock<GapSumsTask>[]; starts: Int32Array; total: number } {
  const starts = new Int32Array(groups.length + 1);
  const all: number[] = [];
  let total = 0;
  groups.forEach((slots, g) => {
    starts[g + 1] = starts[g]! + slots.length;
    for (const t of slots) all.push(positions[t]!);
    total += slots.length * slots.length;
  });
  const members = toShared(Int32Array.from(all));
  const sharedStarts = toShared(starts);
  const target = Math.max(1, Math.ceil(total / (threads * BLOCKS_PER_THREAD)));
  const blocks: ScheduledBlock<GapSumsTask>[] = [];
  let s0 = 0;
  let units = 0;
  for (let g = 0; g < groups.length; g++) {
    const size = groups[g]!.length;
    for (let s = starts[g]!; s < starts[g + 1]!; s++) {
      units += size;
      if (units >= target || s + 1 === all.length) {
        blocks.push({
          task: {
            kind: "gap-sums",
            cancel,
            points,
            d,
            members,
            starts: sharedStarts,
            s0,
            s1: s + 1,
          },
          units,
          what: `the medoid sums of region members ${s0}..${s}`,
        });
        s0 = s + 1;
        units = 0;
      }
    }
  }
  return { blocks, starts, total };
}
