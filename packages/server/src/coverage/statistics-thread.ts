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
  | {
      readonly task: "statistics";
      readonly data: Embeddings["data"];
      readonly n: number;
      readonly d: number;
    }
  | {
      readonly task: "pictures";
      /** `count` images' bytes back to back, each height x width x channels. */
      readonly pixels: Uint8Array;
      readonly count: number;
      readonly shape: readonly [number, number, number];
      readonly scale: number;
    }
  | {
      readonly task: "perClass";
      readonly data: Embeddings["data"];
      readonly n: number;
      readonly d: number;
      readonly labels: Int32Array;
      readonly uncovered: Int32Array;
      readonly options: { readonly minClassSamples: number; readonly nearDuplicateFactor: number };
    };

/**
 * Runs one CPU-heavy task (a statistic, a batch of pictures) on a thread of its own (a fresh
 * worker per call: these run seconds, or hundreds of pictures, and the worker's start-up is
 * milliseconds), so the event loop never stalls on it. Its data is copied to the thread. Errors
 * come back as plain errors (the arguments were checked before).
 */
function onThread<T>(task: Task): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: task });
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
  const { data, n, d } = embeddings;
  return onThread({ task: "perClass", data, n, d, labels, uncovered, options });
}

/** core's completeness and isotropy of the embeddings, off the event loop. */
export function statisticsOnThread(embeddings: Embeddings): Promise<DatasetStatistics> {
  const { data, n, d } = embeddings;
  return onThread({ task: "statistics", data, n, d });
}

/**
 * io's pngDataUrl for `count` images of one shape (bytes back to back), each scaled up `scale`
 * times, off the event loop: the PNG encoding and its base64 text are made on the thread.
 * @returns the data URLs, in the images' order
 */
export function picturesOnThread(
  pixels: Uint8Array,
  count: number,
  shape: readonly [number, number, number],
  scale: number,
): Promise<string[]> {
  return onThread({ task: "pictures", pixels, count, shape, scale });
}
