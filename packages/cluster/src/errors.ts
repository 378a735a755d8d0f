/**
 * The cluster's errors, in core's model (a kind and a stable code): the CLI's exit codes and the
 * server's GraphQL codes classify them without knowing these classes.
 */
import { LacunaError, mustBe } from "@lacuna/core";

/** `--redis` / LACUNA_REDIS_URL that is not a redis:// or rediss:// URL. */
export class InvalidRedisUrlError extends LacunaError {
  constructor(url: string) {
    super("input", "INVALID_REDIS_URL", mustBe("--redis", "a redis:// or rediss:// URL", url));
  }
}

/** Redis did not answer within the connect timeout, or went away and did not come back. */
export class RedisUnavailableError extends LacunaError {
  constructor(url: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super("unavailable", "REDIS_UNAVAILABLE", `Redis at ${redactUrl(url)} is unreachable: ${why}`, {
      cause,
    });
  }
}

/** A worker refused a block: it runs another Lacuna version or kernel contract. */
export class ClusterVersionError extends LacunaError {
  constructor(detail: string) {
    super(
      "unavailable",
      "CLUSTER_VERSION_MISMATCH",
      `a worker refused the computation: ${detail}; run workers of the same Lacuna version as the coordinator`,
    );
  }
}

/** The computation's jobs vanished from Redis (a restart without persistence, a flush). */
export class ClusterJobLostError extends LacunaError {
  constructor(what: string) {
    super(
      "unavailable",
      "CLUSTER_JOB_LOST",
      `${what} is no longer in Redis (was it restarted without persistence?); nothing was computed from partial results: run it again`,
    );
  }
}

/** A block failed on a worker after its retries (the worker's reason is in the message). */
export class ClusterBlockFailedError extends LacunaError {
  constructor(reason: string) {
    super("internal", "CLUSTER_BLOCK_FAILED", `the distributed computation failed: ${reason}`);
  }
}

/** A worker cannot read the data it was sent: the blob store is not shared with the coordinator. */
export class BlobMissingError extends LacunaError {
  constructor(sha256: string, where: string, cause?: unknown) {
    super(
      "unavailable",
      "BLOB_MISSING",
      `the data blob ${sha256} is not readable at ${where}: workers need the coordinator's data directory (a shared filesystem, or the same --data-dir on one machine)`,
      { cause },
    );
  }
}

/** A blob whose bytes do not hash to its name (a torn write or a corrupted disk). */
export class BlobCorruptError extends LacunaError {
  constructor(sha256: string, actual: string) {
    super("internal", "BLOB_CORRUPT", `the data blob ${sha256} hashes to ${actual}`);
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
