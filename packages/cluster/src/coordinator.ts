/**
 * The coordinator: splits a radii computation into blocks of query rows, one BullMQ flow per call
 * (a parent "merge" job and a child per block), and waits for the merge, reporting progress and
 * carrying cancellation to the workers. Radii are bit-identical to the single-process answer:
 * every block searches all rows, and the merge concatenates.
 */
import { randomUUID } from "node:crypto";
import { CancelledError, type Embeddings, isLacunaError, validateK } from "@lacuna/core";
import { type FlowJob, FlowProducer, Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { type BlobRef, type BlobStore, putBlob } from "./blob-store.js";
import { connectRedis } from "./connection.js";
import { type Contract, currentContract, QUEUE } from "./contract.js";
import {
  ClusterBlockFailedError,
  ClusterJobLostError,
  ClusterVersionError,
  RedisUnavailableError,
} from "./errors.js";
import { openBlobStore } from "./s3-blob-store.js";
import {
  blockRanges,
  type BlockJobData,
  decodeRadii,
  type MergeJobData,
  type MergeJobResult,
  remoteError,
} from "./jobs.js";

/** How often the coordinator asks Redis how the merge stands (ms). */
const POLL_MS = 50;
/** How long Redis may be unreachable mid-run before the call fails (ms): a restart fits in it. */
export const REDIS_GRACE_MS = 15_000;
/** The code a worker puts first in the reason it refuses a job with. */
export const VERSION_REFUSAL = "CLUSTER_VERSION_MISMATCH";

/** The Redis key a coordinator sets to stop a flow's running blocks. */
export function cancelKey(flowId: string): string {
  return `lacuna:cancel:${flowId}`;
}

export interface ClusterOptions {
  /** Lacuna's data directory: the blobs go under it (blobDir) unless blobStore is given. */
  readonly dataDir: string;
  /** `s3://BUCKET/PREFIX` (default: LACUNA_BLOB_STORE, else the data directory); see openBlobStore. */
  readonly blobStore?: string;
  /** Query rows per block (default: n / 32, at least 256): more blocks balance uneven workers. */
  readonly blockRows?: number;
}

export interface ClusterRadiiOptions {
  readonly signal?: AbortSignal;
  /** Rows whose radii are merged so far, and n. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a distributed call returns, with its timings for the benchmark (ms). */
export interface ClusterRadiiResult {
  readonly radii: Float64Array;
  readonly detail: string;
  readonly timings: {
    readonly blobMs: number;
    readonly wallMs: number;
    readonly blockMs: readonly number[];
    readonly mergeMs: number;
  };
}

/** The flow of one call: the parent merge job and a child per block, ids derived from flowId. */
export function radiiFlow(
  flowId: string,
  blob: BlobRef,
  k: number,
  ranges: readonly (readonly [number, number])[],
  contract: Contract = currentContract(),
  store = "local",
): FlowJob {
  const merge: MergeJobData = {
    contract,
    flowId,
    n: blob.n,
    blocks: ranges.length,
    sha256: blob.sha256,
  };
  return {
    name: "merge",
    queueName: QUEUE,
    data: merge,
    opts: { jobId: `${flowId}-merge`, attempts: 3 },
    children: ranges.map(([rowA, rowB], block) => {
      const data: BlockJobData = { contract, flowId, block, blob, store, k, rowA, rowB };
      return {
        name: "block",
        queueName: QUEUE,
        data,
        opts: {
          jobId: `${flowId}-b${block}`,
          attempts: 3,
          backoff: { type: "fixed", delay: 200 },
          failParentOnFailure: true,
        },
      };
    }),
  };
}

/** Exact radii computed by the workers on one Redis; see the module's comment. */
export class ClusterRadii {
  private constructor(
    private readonly url: string,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly flows: FlowProducer,
    private readonly options: ClusterOptions,
    private readonly blobs: BlobStore & { close?(): Promise<void> },
  ) {}

  /** Connects to Redis (a coded error within the connect timeout when it is not there). */
  static async connect(url: string, options: ClusterOptions): Promise<ClusterRadii> {
    const blobs = openBlobStore(options.blobStore, options.dataDir);
    const redis = await connectRedis(url, "coordinator");
    const queue = new Queue(QUEUE, { connection: redis });
    const flows = new FlowProducer({ connection: redis });
    return new ClusterRadii(url, redis, queue, flows, options, blobs);
  }

  /**
   * The radii of every row (distance to the k-th nearest neighbour, self excluded), computed by the
   * workers. @throws core's input errors, CancelledError, RedisUnavailableError,
   *   ClusterJobLostError, ClusterVersionError, ClusterBlockFailedError, the blob store's errors
   */
  async computeRadii(
    embeddings: Embeddings,
    k: number,
    options: ClusterRadiiOptions = {},
  ): Promise<ClusterRadiiResult> {
    validateK(k, embeddings.n);
    if (options.signal?.aborted) throw new CancelledError();
    const started = performance.now();
    const blob = await putBlob(this.blobs, embeddings);
    const blobMs = performance.now() - started;
    const n = embeddings.n;
    const rows = this.options.blockRows ?? Math.max(256, Math.ceil(n / 32));
    const ranges = blockRanges(n, rows);
    const flowId = randomUUID();
    await this.guard(() =>
      this.flows.add(radiiFlow(flowId, blob, k, ranges, currentContract(), this.blobs.description)),
    );
    const result = await this.awaitMerge(flowId, ranges, options);
    const decodeStart = performance.now();
    const radii = decodeRadii(result.radii);
    if (result.sha256 !== blob.sha256 || radii.length !== n)
      throw new ClusterBlockFailedError(`the merge answered for other data (${result.sha256})`);
    const wallMs = performance.now() - started;
    return {
      radii,
      detail: `${ranges.length} blocks of up to ${rows} rows on the workers of ${this.redactedUrl()}${this.blobs.description === "local" ? "" : `, data in ${this.blobs.description}`}`,
      timings: {
        blobMs,
        wallMs,
        blockMs: result.blockMs,
        mergeMs: result.mergeMs + (performance.now() - decodeStart),
      },
    };
  }

  private redactedUrl(): string {
    const parsed = new URL(this.url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  }

  /** Runs a Redis command, turning a lost connection into RedisUnavailableError. */
  private async guard<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new RedisUnavailableError(this.url, error);
    }
  }

  /** Polls the merge job until it completes or fails, or Redis or the caller gives up. */
  async awaitMerge(
    flowId: string,
    ranges: readonly (readonly [number, number])[],
    options: ClusterRadiiOptions = {},
  ): Promise<MergeJobResult> {
    const parentId = `${flowId}-merge`;
    const n = ranges.length === 0 ? 0 : ranges[ranges.length - 1]![1];
    let unreachableSince: number | null = null;
    let reported = -1;
    for (;;) {
      if (options.signal?.aborted) {
        await this.cancel(flowId, ranges.length);
        throw new CancelledError();
      }
      try {
        const parent = await Job.fromId<MergeJobData, MergeJobResult>(this.queue, parentId);
        unreachableSince = null;
        if (parent === undefined) throw new ClusterJobLostError(`the computation ${flowId}`);
        const state = await parent.getState();
        if (state === "completed") {
          // the job was read before its state: it may have completed in between, so read it again
          const done = await Job.fromId<MergeJobData, MergeJobResult>(this.queue, parentId);
          if (!done?.returnvalue) throw new ClusterJobLostError(`the result of ${flowId}`);
          options.onProgress?.(n, n);
          return done.returnvalue;
        }
        if (state === "failed") throw await this.failure(flowId, ranges.length, parent);
        if (state === "unknown") throw new ClusterJobLostError(`the computation ${flowId}`);
        const counts = await parent.getDependenciesCount({ processed: true });
        const done = Math.min(n, (counts.processed ?? 0) * (ranges[0]![1] - ranges[0]![0]));
        if (done > reported && options.onProgress) {
          reported = done;
          options.onProgress(done, n);
        }
      } catch (error) {
        if (error instanceof ClusterJobLostError || isLacunaError(error)) throw error;
        unreachableSince ??= Date.now();
        if (Date.now() - unreachableSince > REDIS_GRACE_MS)
          throw new RedisUnavailableError(this.url, error);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** The error a failed merge stands for: a refusal, else the first failed block's reason. */
  private async failure(
    flowId: string,
    blocks: number,
    parent: Job<MergeJobData, MergeJobResult>,
  ): Promise<Error> {
    const reasons = [parent.failedReason];
    for (let b = 0; b < blocks; b++) {
      const child = await Job.fromId(this.queue, `${flowId}-b${b}`);
      if (child?.failedReason) reasons.push(child.failedReason);
    }
    const refusal = reasons.find((r) => r.startsWith(VERSION_REFUSAL));
    if (refusal) return new ClusterVersionError(refusal.slice(VERSION_REFUSAL.length + 2));
    for (const reason of reasons) {
      const coded = remoteError(reason);
      if (coded) return coded;
    }
    return new ClusterBlockFailedError([...new Set(reasons.filter(Boolean))].reverse().join("; "));
  }

  /** Stops the flow: running blocks see the cancel key, waiting ones are removed. */
  private async cancel(flowId: string, blocks: number): Promise<void> {
    const attempt = (command: () => Promise<unknown>) => command().catch(() => undefined);
    await attempt(() => this.redis.set(cancelKey(flowId), "1", "PX", 3_600_000));
    // a block being computed holds its lock and cannot be removed: it stops on the cancel key
    for (let b = 0; b < blocks; b++) await attempt(() => this.queue.remove(`${flowId}-b${b}`));
    await attempt(() => this.queue.remove(`${flowId}-merge`, { removeChildren: true }));
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await Promise.allSettled([this.flows.close(), this.queue.close(), this.blobs.close?.()]);
    this.redis.disconnect();
  }
}
