/**
 * Redis connections for the two roles. Workers block on Redis (BullMQ's BRPOPLPUSH / BZPOPMIN) and
 * must never give up a command while Redis restarts: BullMQ requires `maxRetriesPerRequest: null`
 * for them, or a blocking call fails after ioredis's default 20 retries and the worker stops taking
 * jobs. The coordinator is the other way round: it answers a person or a request, so its commands
 * fail fast (no offline queue) and it decides itself how long to wait for Redis to come back.
 */
import { Redis } from "ioredis";
import { InvalidRedisUrlError, RedisUnavailableError } from "./errors.js";

/** How long a first connection may take before `--redis` is reported unreachable (ms). */
export const CONNECT_TIMEOUT_MS = 5000;

/** @throws InvalidRedisUrlError for anything but redis:// and rediss:// URLs */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidRedisUrlError(url);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    throw new InvalidRedisUrlError(url);
  return url;
}

/**
 * A connected client for `role`, or a coded error after CONNECT_TIMEOUT_MS: a Redis that cannot be
 * reached is never a hang. @throws InvalidRedisUrlError, RedisUnavailableError
 */
export async function connectRedis(url: string, role: "worker" | "coordinator"): Promise<Redis> {
  checkRedisUrl(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    // reconnect quickly after a restart, but not in a tight loop
    retryStrategy: (times) => Math.min(100 * times, 2000),
  });
  // ioredis reports each failed reconnection as an 'error' event: the callers see their commands fail
  redis.on("error", () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`)),
          CONNECT_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    redis.disconnect();
    throw new RedisUnavailableError(url, error);
  } finally {
    clearTimeout(timer);
  }
  return redis;
}
