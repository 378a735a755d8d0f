import type { ClassCoverageRow, Embeddings } from "@lacuna/core";
import { Worker } from "node:worker_threads";

/** What `statistics-worker.mjs` computes, with the same fields as core's results. */
export interface DatasetStatistics {
  readonly completeness: number;
  readonly isotropy: number;
  readonly effectiveDimension: number;
  readonly rank: number;
}

// the same file from src/ (tests) and dist/ (the built server): both sit two levels below the package
const WORKER = new URL("../../src/coverage/statistics-worker.mjs", import.meta.url);

type Task =
  | { readonly task: "statistics" }
  | {
      readonly task: "perClass";
      readonly labels: Int32Array;
      readonly uncovered: Int32Array;
      readonly options: { readonly minClassSamples: number; readonly nearDuplicateFactor: number };
    };

/**
 * Runs one statistic on a thread of its own (a fresh worker per call: these run seconds, the
 * worker's start-up is milliseconds), so the event loop never stalls on it. The embeddings are
 * copied to the thread. Errors come back as plain errors (the arguments were checked before).
 */
function onThread<T>(embeddings: Embeddings, task: Task): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { ...task, data: embeddings.data, n: embeddings.n, d: embeddings.d },
    });
    let settled = false;
    worker.once("message", (value: T) => {
      settled = true;
      resolve(value);
      void worker.terminate();
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`the statistics thread exited with code ${code}`));
    });
  });
}

/** core's perClassStatistics, off the event loop. */
export function perClassOnThread(
  embeddings: Embeddings,
  labels: Int32Array,
  uncovered: Int32Array,
  options: { readonly minClassSamples: number; readonly nearDuplicateFactor: number },
): Promise<ClassCoverageRow[]> {
  return onThread(embeddings, { task: "perClass", labels, uncovered, options });
}

/** core's completeness and isotropy of the embeddings, off the event loop. */
export function statisticsOnThread(embeddings: Embeddings): Promise<DatasetStatistics> {
  return onThread(embeddings, { task: "statistics" });
}
