import { createEmbeddings } from "@lacuna/core";
import type { ProjectTask } from "../protocol.js";
import { projectEmbeddings } from "./project.js";

/**
 * Runs a projection task in a worker: reads the embeddings from shared memory (no copy), stops
 * with ComputationStoppedError once the pool sets the shared cancel flag, and stores the
 * iterations done into the shared progress counter, which the pool polls.
 */
export function runProjectTask(task: ProjectTask): Float64Array {
  const data = task.dtype === "float32" ? new Float32Array(task.data) : new Float64Array(task.data);
  const flag = new Int32Array(task.cancel);
  const progress = new Int32Array(task.progress);
  return projectEmbeddings(createEmbeddings(data, task.n, task.d), task.method, {
    seed: task.seed,
    perplexity: task.perplexity,
    nNeighbors: task.nNeighbors,
    iterations: task.iterations,
    shouldStop: () => Atomics.load(flag, 0) !== 0,
    onProgress: (done) => Atomics.store(progress, 0, done),
  });
}
