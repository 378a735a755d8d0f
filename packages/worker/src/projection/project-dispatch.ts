import type { Embeddings } from "@lacuna/core";
import type { ProjectTask } from "../protocol.js";
import type { ScheduledBlock } from "../scheduler.js";
import { toShared } from "../shared-index.js";
import type { ProjectionMethod, ProjectionParameters, ResolvedProjection } from "./options.js";

export interface ProjectionOptions extends ProjectionParameters {
  /** Stops the worker at its next iteration; the call then rejects with CancelledError. */
  readonly signal?: AbortSignal;
  /**
   * Called with (iterations or epochs done, their total) as the worker advances, at most every
   * 100 ms, and once with done = total at the end. PCA reports only (1, 1).
   */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ProjectionResult {
  /** n x 2 coordinates, row-major: (coordinates[2i], coordinates[2i + 1]) is sample i. */
  readonly coordinates: Float64Array;
  readonly method: ProjectionMethod;
  /** Wall-clock seconds from sending the task to receiving its result. */
  readonly seconds: number;
}

/**
 * The projection's one task, on a copy of the embeddings in shared memory, and how to read its
 * progress (iterations or epochs done, which the worker stores) while it runs. The pool's
 * scheduler sends it, cancels it (the worker stops at its next iteration) and polls its progress.
 */
export function projectionTask(
  embeddings: Embeddings,
  resolved: ResolvedProjection,
  cancel: SharedArrayBuffer,
): { block: ScheduledBlock<ProjectTask>; poll: () => number } {
  const { n, d } = embeddings;
  const source = embeddings.data;
  const progress = new SharedArrayBuffer(4);
  const task: ProjectTask = {
    kind: "project",
    cancel,
    progress,
    data: toShared(source),
    dtype: source instanceof Float32Array ? "float32" : "float64",
    n,
    d,
    ...resolved,
  };
  const done = new Int32Array(progress);
  return {
    block: { task, units: 0, what: `the ${resolved.method} projection of ${n} samples` },
    poll: () => Atomics.load(done, 0),
  };
}
