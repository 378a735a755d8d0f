/**
 * The worker's side of a cross-set block (see cross-blocks.ts): core's exact leaf search of the
 * block's query leaves against the whole reference, over views of the shared indexes (no copy),
 * polling the call's cancel flag before each query leaf.
 */
import { crossLeafNeighbourHeaps } from "@lacuna/core/internal";
import type { CrossBlockResult, CrossTask } from "./protocol.js";
import { viewIndex } from "./shared-index.js";

/**
 * The k nearest reference rows of each query position of leaves [leafA, leafB), ascending by
 * (distance, reference index), with Euclidean distances (square roots of the exact squared sums).
 * @throws core's ComputationStoppedError once the call's cancel flag is set
 */
export function runCrossTask(task: CrossTask): CrossBlockResult {
  const flag = new Int32Array(task.cancel);
  const heaps = crossLeafNeighbourHeaps(
    viewIndex(task.reference),
    viewIndex(task.query),
    task.k,
    task.leafA,
    task.leafB,
    () => Atomics.load(flag, 0) !== 0,
  );
  heaps.sortRows();
  const distances = heaps.dist;
  for (let p = 0; p < distances.length; p++) distances[p] = Math.sqrt(distances[p]!);
  return { indices: heaps.index, distances };
}
