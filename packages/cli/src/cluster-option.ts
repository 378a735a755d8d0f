/**
 * `--redis URL` (or LACUNA_REDIS_URL): where `coverage` and `serve` send their radii, and where
 * `lacuna worker` takes them from. Without it nothing changes. The cluster package (BullMQ,
 * ioredis) loads only when a URL is given. `--blob-store s3://BUCKET/PREFIX` (or
 * LACUNA_BLOB_STORE) puts the data the workers need in S3 instead of the data directory.
 */
import type { Command } from "commander";
import { type Embeddings, InvalidParameterError } from "@lacuna/core";
import { defaultDataDir } from "@lacuna/io";

export interface RedisFlags {
  redis?: string;
  dataDir?: string;
  blobStore?: string;
}

/** What `--blob-store` says, in every command that has it. */
export const BLOB_STORE_HELP =
  "where the workers get the data: s3://BUCKET/PREFIX, endpoint LACUNA_S3_ENDPOINT, credentials from the AWS variables (default: LACUNA_BLOB_STORE; none: the data directory's blobs)";

/** Adds `--blob-store <url>` to a command (coordinators, and `lacuna worker`). */
export function addBlobStoreOption<C extends Command>(command: C): C {
  command.option("--blob-store <url>", BLOB_STORE_HELP);
  return command;
}

/** Adds `--redis <url>` and `--blob-store <url>` to a command. */
export function addRedisOption<C extends Command>(command: C, what: string): C {
  command.option("--redis <url>", `${what} (default: LACUNA_REDIS_URL; none: this process)`);
  return addBlobStoreOption(command);
}

/**
 * The Redis URL of the flags, else LACUNA_REDIS_URL, else undefined (run in this process).
 * @throws InvalidParameterError for `--blob-store` without a Redis: it would be ignored
 */
export function redisUrlOf(
  flags: RedisFlags,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const url = flags.redis ?? env.LACUNA_REDIS_URL;
  const chosen = url === undefined || url === "" ? undefined : url;
  if (chosen === undefined && flags.blobStore !== undefined)
    throw new InvalidParameterError("--blob-store", flags.blobStore, "used with --redis");
  return chosen;
}

/**
 * The radii computed by the workers on `url`; the blobs go to `blobStore` (default:
 * LACUNA_BLOB_STORE), else under `dataDir` (default: the data directory, which workers on this
 * machine share). @throws the cluster's coded errors
 */
export async function clusterRadii(
  url: string,
  embeddings: Embeddings,
  k: number,
  options: {
    dataDir?: string;
    blobStore?: string;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<{ radii: Float64Array; detail: string }> {
  const { ClusterRadii } = await import("@lacuna/cluster");
  const cluster = await ClusterRadii.connect(url, {
    dataDir: options.dataDir ?? defaultDataDir(),
    blobStore: options.blobStore,
  });
  const stop = new AbortController();
  const onInt = () => stop.abort();
  process.once("SIGINT", onInt);
  try {
    return await cluster.computeRadii(embeddings, k, {
      signal: stop.signal,
      onProgress: options.onProgress,
    });
  } finally {
    process.off("SIGINT", onInt);
    await cluster.close();
  }
}
