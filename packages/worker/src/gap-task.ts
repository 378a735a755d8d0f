/**
 * The worker's side of gap regions and collect (gap-blocks.ts, deficit-blocks.ts, collect-pool.ts):
 * core's gapLinks, distanceSums, rangeDeficits and coverPairs over views of shared indexes and rows
 * (no copy), polling the call's cancel flag before each row.
 */
import { coverPairs, distanceSums, gapLinks, rangeDeficits } from "@lacuna/core/internal";
import type { CollectCoversTask, GapDeficitsTask, GapLinksTask, GapSumsTask } from "./protocol.js";
import { viewIndex } from "./shared-index.js";

/** The block's joining pairs. @throws core's ComputationStoppedError once the call is cancelled */
export function runGapLinksTask(task: GapLinksTask): Int32Array {
  const flag = new Int32Array(task.cancel);
  return gapLinks(
    viewIndex(task.index),
    task.p0,
    task.p1,
    task.link,
    () => Atomics.load(flag, 0) !== 0,
  );
}

/**
 * Each member's distance sum within its own region, for members [s0, s1) of the regions back to
 * back. @throws core's ComputationStoppedError once the call is cancelled
 */
export function runGapSumsTask(task: GapSumsTask): Float64Array {
  const flag = new Int32Array(task.cancel);
  const stop = () => Atomics.load(flag, 0) !== 0;
  const points = new Float64Array(task.points);
  const members = new Int32Array(task.members);
  const starts = new Int32Array(task.starts);
  const out = new Float64Array(task.s1 - task.s0);
  // the region holding s0: the last start <= s0 (regions are never empty)
  let g = 0;
  while (starts[g + 1]! <= task.s0) g++;
  for (let s = task.s0; s < task.s1; g++) {
    const g0 = starts[g]!;
    const end = Math.min(task.s1, starts[g + 1]!);
    const region = members.subarray(g0, starts[g + 1]!);
    out.set(distanceSums(points, task.d, region, s - g0, end - g0, stop), s - task.s0);
    s = end;
  }
  return out;
}

/** The block's deficits. @throws core's ComputationStoppedError once the call is cancelled */
export function runGapDeficitsTask(task: GapDeficitsTask): Int32Array {
  const flag = new Int32Array(task.cancel);
  return rangeDeficits(
    viewIndex(task.index),
    new Float64Array(task.queries),
    task.exclude === null ? null : new Int32Array(task.exclude),
    task.radius,
    task.k,
    task.t0,
    task.t1,
    () => Atomics.load(flag, 0) !== 0,
  );
}

/** The block's cover pairs. @throws core's ComputationStoppedError once the call is cancelled */
export function runCollectCoversTask(task: CollectCoversTask): Int32Array {
  const flag = new Int32Array(task.cancel);
  return coverPairs(
    viewIndex(task.index),
    new Float64Array(task.queries),
    task.t0,
    task.t1,
    task.radius,
    () => Atomics.load(flag, 0) !== 0,
  );
}
