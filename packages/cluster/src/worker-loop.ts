/**
 * A cluster worker: a BullMQ Worker taking blocks (and merges) from the queue and running each
 * block in its own KnnPool with the existing kernels. One job at a time per process, on all its
 * threads. The threads compute off the main thread, so BullMQ's lock renewal (every
 * lockDuration / 2 on the event loop) keeps the block's lock alive however long it takes; a worker
 * that dies stops renewing, and the block returns to the queue when its lock lapses.
 */
import { hostname } from "node:os";
import { CancelledError, isLacunaError } from "@lacuna/core";
import { KnnPool } from "@lacuna/worker";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { BlobCache, blobDir } from "./blob-store.js";
import { openBlobStore, S3BlobStore } from "./s3-blob-store.js";
import { connectRedis } from "./connection.js";
import { contractProblem, QUEUE } from "./contract.js";
import { cancelKey, VERSION_REFUSAL } from "./coordinator.js";
import { BlobStoreMismatchError } from "./errors.js";
import {
  reasonOf,
  type BlockJobData,
  type BlockJobResult,
  type BlockProgress,
  encodeRadii,
  mergeBlocks,
  type MergeJobData,
  type MergeJobResult,
} from "./jobs.js";

export interface ClusterWorkerOptions {
  readonly url: string;
  /** Lacuna's data directory: the blobs are read (or, from S3, cached) under it. */
  readonly dataDir: string;
  /** `s3://BUCKET/PREFIX` (default: LACUNA_BLOB_STORE, else none: the data directory's blobs). */
  readonly blobStore?: string;
  /** Pool threads (default: as KnnPool: LACUNA_THREADS, else every core). */
  readonly threads?: number;
  /** How long a block's lock lasts without renewal (ms): how soon a dead worker's block is redone. */
  readonly lockDuration?: number;
  /** Called with one line per block or merge, for the worker's log. */
  readonly log?: (line: string) => void;
}

/** How often a running block checks its flow's cancel key (ms). */
const CANCEL_POLL_MS = 200;

export interface ClusterWorker {
  readonly id: string;
  /**
   * Stops taking jobs. `finish`: the running block completes first (SIGTERM); otherwise it is
   * abandoned and returns to the queue once its lock lapses.
   */
  close(finish: boolean): Promise<void>;
}

/** Starts a worker on the Redis at `options.url`. @throws RedisUnavailableError, InvalidRedisUrlError */
export async function startClusterWorker(options: ClusterWorkerOptions): Promise<ClusterWorker> {
  const store = openBlobStore(options.blobStore, options.dataDir);
  const remote = store instanceof S3BlobStore ? store : undefined;
  const redis = await connectRedis(options.url, "worker");
  const pool = new KnnPool({ threads: options.threads });
  const blobs = new BlobCache(blobDir(options.dataDir), 2, remote);
  const id = `${hostname()}:${process.pid}`;
  const log = options.log ?? (() => undefined);
  const lockDuration = options.lockDuration ?? 30_000;
  const processor = async (
    job: Job<BlockJobData | MergeJobData>,
    _token?: string,
    signal?: AbortSignal,
  ): Promise<BlockJobResult | MergeJobResult> => {
    const problem = contractProblem(job.data.contract);
    if (problem !== null) {
      log(`refused ${job.id}: ${problem}`);
      throw new UnrecoverableError(`${VERSION_REFUSAL}: ${problem}`);
    }
    if (job.name === "merge") return merge(job as Job<MergeJobData>);
    const theirs = (job.data as BlockJobData).store;
    if (theirs !== blobs.description) {
      // retrying cannot help: the coordinator hears the coded reason at once, never a hang
      const refusal = new BlobStoreMismatchError(String(theirs), blobs.description);
      log(`refused ${job.id}: ${refusal.message}`);
      throw new UnrecoverableError(reasonOf(refusal));
    }
    return block(job as Job<BlockJobData>, signal);
  };

  const merge = async (job: Job<MergeJobData>): Promise<MergeJobResult> => {
    const started = performance.now();
    const values = await job.getChildrenValues<BlockJobResult>();
    const radii = mergeBlocks(job.data.n, job.data.blocks, values);
    const blockMs = new Array<number>(job.data.blocks).fill(0);
    for (const value of Object.values(values)) blockMs[value.block] = value.ms;
    log(`merged ${job.data.blocks} blocks of ${job.data.flowId}`);
    return {
      sha256: job.data.sha256,
      n: job.data.n,
      radii: encodeRadii(radii),
      blockMs,
      mergeMs: performance.now() - started,
    };
  };

  const block = async (
    job: Job<BlockJobData>,
    signal: AbortSignal | undefined,
  ): Promise<BlockJobResult> => {
    const { flowId, blob, k, rowA, rowB } = job.data;
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal?.addEventListener("abort", stop, { once: true });
    const watch = setInterval(() => {
      redis.exists(cancelKey(flowId)).then(
        (found) => found === 1 && stop(),
        () => undefined,
      );
    }, CANCEL_POLL_MS);
    try {
      if ((await redis.exists(cancelKey(flowId))) === 1) throw new CancelledError();
      const started = performance.now();
      const embeddings = await blobs.get(blob);
      const radii = await pool.computeRowRadii(embeddings, k, rowA, rowB, {
        signal: controller.signal,
        onProgress: (done, total) => {
          const progress: BlockProgress = { done, total, worker: id };
          void job.updateProgress({ ...progress }).catch(() => undefined);
        },
      });
      // a cancel landing during the block's last GEMM run cannot stop it: it must still not commit
      if ((await redis.exists(cancelKey(flowId)).catch(() => 0)) === 1) throw new CancelledError();
      const ms = performance.now() - started;
      log(`block ${job.id} rows ${rowA}..${rowB - 1} in ${ms.toFixed(0)} ms`);
      return { block: job.data.block, rowA, rowB, radii: encodeRadii(radii), worker: id, ms };
    } catch (error) {
      // a cancelled flow is not retried: its coordinator has gone
      if (error instanceof CancelledError) throw new UnrecoverableError(`cancelled: ${flowId}`);
      // the coordinator rebuilds a coded error from this reason (remoteError)
      if (isLacunaError(error)) throw new Error(reasonOf(error), { cause: error });
      throw error;
    } finally {
      clearInterval(watch);
      signal?.removeEventListener("abort", stop);
    }
  };

  const worker = new Worker(QUEUE, processor, {
    connection: redis,
    concurrency: 1,
    lockDuration,
    // stalled blocks (their worker died) are looked for as often as a lock lasts
    stalledInterval: lockDuration,
    // a block whose worker died is redone; a block that kills every worker is not, forever
    maxStalledCount: 3,
    autorun: true,
  });
  worker.on("error", (error) => log(`worker error: ${error.message}`));
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  return {
    id,
    close(finish) {
      closing ??= (async () => {
        if (!finish) worker.cancelAllJobs("the worker is stopping");
        await worker.close(!finish);
        await pool.close();
        await remote?.close();
        redis.disconnect();
      })();
      return closing;
    },
  };
}
