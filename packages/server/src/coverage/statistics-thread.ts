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
      readonly task: "perClass";
      readonly data: Embeddings["data"];
      readonly n: number;
      readonly d: number;
      readonly labels: Int32Array;
      readonly uncovered: Int32Array;
      readonly options: { readonly minClassSamples: number; readonly nearDuplicateFactor: number };
    };

/**
 * Runs one statistic on a thread of its own (a fresh worker per call: these run seconds, the
 * worker's start-up is milliseconds), so the event loop never stalls on it. Its data is copied
 * to the thread. Errors come back as plain errors (the arguments were checked before).
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

/** How long the pictures' thread waits for more work before it ends. */
export const PICTURE_THREAD_IDLE_MS = 30_000;

interface PictureThread {
  readonly worker: Worker;
  readonly pending: Map<
    number,
    { resolve: (urls: string[]) => void; reject: (e: unknown) => void }
  >;
  idle: ReturnType<typeof setTimeout> | undefined;
}

let pictureThread: PictureThread | null = null;
let pictureCalls = 0;

/**
 * The same worker script kept running for pictures: unlike a statistic, a picture takes
 * milliseconds, so a fresh thread per call (its start-up, loading sharp) would cost more than the
 * work. It ends after PICTURE_THREAD_IDLE_MS without work, and never holds the process open.
 */
function picturesThread(): PictureThread {
  if (pictureThread) return pictureThread;
  const worker = new Worker(WORKER, { workerData: { task: "pictures" } });
  worker.unref();
  const thread: PictureThread = { worker, pending: new Map(), idle: undefined };
  const fail = (error: unknown) => {
    if (pictureThread === thread) pictureThread = null;
    for (const waiting of thread.pending.values()) waiting.reject(error);
    thread.pending.clear();
  };
  worker.on("message", ({ id, urls }: { id: number; urls: string[] }) => {
    thread.pending.get(id)?.resolve(urls);
    thread.pending.delete(id);
    if (thread.pending.size > 0) return;
    thread.idle = setTimeout(() => {
      if (pictureThread === thread) pictureThread = null;
      void worker.terminate();
    }, PICTURE_THREAD_IDLE_MS);
    thread.idle.unref();
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the pictures thread exited with code ${code}`)));
  pictureThread = thread;
  return thread;
}

/**
 * io's pngDataUrl for `count` images of one shape (bytes back to back), each scaled up `scale`
 * times, off the event loop: the PNG encoding and its base64 text are made on the pictures'
 * thread (the statistics worker script, kept running while pictures are asked for).
 * @returns the data URLs, in the images' order
 */
export function picturesOnThread(
  pixels: Uint8Array,
  count: number,
  shape: readonly [number, number, number],
  scale: number,
): Promise<string[]> {
  const thread = picturesThread();
  clearTimeout(thread.idle);
  const id = ++pictureCalls;
  return new Promise<string[]>((resolve, reject) => {
    thread.pending.set(id, { resolve, reject });
    thread.worker.postMessage({ id, pixels, count, shape, scale });
  });
}
