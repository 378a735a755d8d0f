/**
 * `--redis URL` (or LACUNA_REDIS_URL): where `coverage` and `serve` send their radii, and where
 * `lacuna worker` takes them from. Without it nothing changes. The cluster package (BullMQ,
 * ioredis) loads only when a URL is given.
 */
import type { Command } from "commander";
import type { Embeddings } from "@lacuna/core";
import { defaultDataDir } from "@lacuna/io";

export interface RedisFlags {
  redis?: string;
  dataDir?: string;
}

/** Adds `--redis <url>` to a command. */
export function addRedisOption<C extends Command>(command: C, what: string): C {
  command.option("--redis <url>", `${what} (default: LACUNA_REDIS_URL; none: this process)`);
  return command;
}

/** The Redis URL of the flags, else LACUNA_REDIS_URL, else undefined (run in this process). */
export function redisUrlOf(
  flags: RedisFlags,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const url = flags.redis ?? env.LACUNA_REDIS_URL;
  return url === undefined || url === "" ? undefined : url;
}

/**
 * The radii computed by the workers on `url`; the blobs go under `dataDir` (default: the data
 * directory, which workers on this machine share). @throws the cluster's coded errors
 */
export async function clusterRadii(
  url: string,
  embeddings: Embeddings,
  k: number,
  options: { dataDir?: string; onProgress?: (done: number, total: number) => void },
): Promise<{ radii: Float64Array; detail: string }> {
  const { ClusterRadii } = await import("@lacuna/cluster");
  const cluster = await ClusterRadii.connect(url, {
    dataDir: options.dataDir ?? defaultDataDir(),
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
