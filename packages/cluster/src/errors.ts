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
  constructor(
    sha256: string,
    where: string,
    cause?: unknown,
    advice = "workers need the coordinator's data directory (a shared filesystem, or the same --data-dir on one machine)",
  ) {
    super(
      "unavailable",
      "BLOB_MISSING",
      `the data blob ${sha256} is not readable at ${where}: ${advice}`,
      {
        cause,
      },
    );
  }
}

/** A blob whose bytes do not hash to its name (a torn write or a corrupted disk). */
export class BlobCorruptError extends LacunaError {
  constructor(sha256: string, actual: string) {
    super("internal", "BLOB_CORRUPT", `the data blob ${sha256} hashes to ${actual}`);
  }
}

/** `--blob-store` / LACUNA_BLOB_STORE that is not an s3://BUCKET[/PREFIX] URL. */
export class InvalidBlobStoreError extends LacunaError {
  constructor(
    spec: string,
    option = "--blob-store",
    expected = "an s3://BUCKET or s3://BUCKET/PREFIX URL",
  ) {
    super("input", "INVALID_BLOB_STORE", mustBe(option, expected, spec));
  }
}

/** The S3 endpoint did not answer (refused, timed out, no such host). */
export class BlobStoreUnreachableError extends LacunaError {
  constructor(where: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message || cause.name : String(cause);
    super(
      "unavailable",
      "BLOB_STORE_UNREACHABLE",
      `the blob store ${where} is unreachable: ${why}`,
      {
        cause,
      },
    );
  }
}

/** The blob store's bucket does not exist at its endpoint. */
export class BlobBucketMissingError extends LacunaError {
  constructor(where: string, cause?: unknown) {
    super(
      "input",
      "BLOB_BUCKET_MISSING",
      `the bucket of the blob store ${where} does not exist: create it, or check LACUNA_S3_ENDPOINT`,
      { cause },
    );
  }
}

/** The S3 store refused these credentials (403: unknown key, bad signature, no permission). */
export class BlobStoreDeniedError extends LacunaError {
  constructor(where: string, cause?: unknown) {
    const why = cause instanceof Error ? `${cause.name}` : "access denied";
    super(
      "unauthenticated",
      "BLOB_STORE_DENIED",
      `the blob store ${where} refused access (${why}): check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket's policy`,
      { cause },
    );
  }
}

/** A job's data sits in a blob store this worker is not configured for. */
export class BlobStoreMismatchError extends LacunaError {
  constructor(theirs: string, ours: string) {
    const hint =
      theirs === "local"
        ? "start it without --blob-store and LACUNA_BLOB_STORE, on the coordinator's data directory"
        : `start it with --blob-store ${theirs} (or LACUNA_BLOB_STORE), as the coordinator`;
    super(
      "unavailable",
      "BLOB_STORE_MISMATCH",
      `the job's data is in the blob store ${theirs}; this worker reads ${ours}: ${hint}`,
    );
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
