/**
 * Blobs in an S3-compatible store (AWS S3, MinIO, s3rver...), for workers that share no
 * filesystem with their coordinator. The AWS SDK loads only when such a store is configured; its
 * credentials and region come from its standard environment variables (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_REGION, a profile...), the endpoint from LACUNA_S3_ENDPOINT.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { isLacunaError, LacunaError } from "@lacuna/core";
import { type BlobStore, blobDir, FileBlobStore } from "./blob-store.js";
import {
  BlobBucketMissingError,
  BlobMissingError,
  BlobStoreDeniedError,
  BlobStoreUnreachableError,
  InvalidBlobStoreError,
} from "./errors.js";

export interface S3BlobStoreOptions {
  readonly bucket: string;
  /** Key prefix without leading or trailing slashes ("" for none). */
  readonly prefix: string;
  /** An S3-compatible endpoint (http://HOST:PORT), addressed path-style; default: AWS. */
  readonly endpoint?: string;
  /** Default: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1 (redirects are followed). */
  readonly region?: string;
  /** Default: the SDK's credential chain (environment variables, profiles, instance roles). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** How long a connection may take before the endpoint counts as unreachable (ms, default 5000). */
  readonly connectTimeoutMs?: number;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The bucket and key prefix of `s3://BUCKET[/PREFIX]` (slashes around the prefix dropped).
 * @throws InvalidBlobStoreError
 */
export function parseBlobStoreUrl(spec: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(spec);
  if (!match || !BUCKET.test(match[1]!)) throw new InvalidBlobStoreError(spec);
  const prefix = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  if (/[\\\0]/.test(prefix) || prefix.split("/").some((part) => part === "." || part === ".."))
    throw new InvalidBlobStoreError(spec);
  return { bucket: match[1]!, prefix };
}

/** S3 statuses and error names that mean "these credentials may not do this". */
const DENIED = new Set([
  "AccessDenied",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "Forbidden",
]);

/** Blobs as objects `PREFIX/SHA256` in one bucket; see the module's comment. */
export class S3BlobStore implements BlobStore {
  readonly description: string;
  private client: Promise<S3Client> | undefined;

  constructor(private readonly options: S3BlobStoreOptions) {
    const { bucket, prefix } = options;
    this.description = prefix === "" ? `s3://${bucket}` : `s3://${bucket}/${prefix}`;
  }

  /** The store and its endpoint, for messages. */
  get where(): string {
    return `${this.description} (${this.options.endpoint ?? "AWS"})`;
  }

  private key(sha256: string): string {
    return this.options.prefix === "" ? sha256 : `${this.options.prefix}/${sha256}`;
  }

  private s3(): Promise<S3Client> {
    // the SDK warns on Node 20 that its versions after January 2027 will need Node 22: this one is
    // pinned, so the warning would only put eight lines in every run's stderr (unless asked for)
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    this.client ??= import("@aws-sdk/client-s3").then(({ S3Client }) => {
      const { endpoint, credentials } = this.options;
      const region =
        this.options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
      return new S3Client({
        endpoint,
        region: region || "us-east-1",
        followRegionRedirects: true,
        // MinIO, s3rver and most S3-compatible servers know only path-style addressing
        forcePathStyle: endpoint !== undefined,
        ...(credentials ? { credentials } : {}),
        // the workers check each blob's sha256 themselves; the SDK's default CRC trailers
        // (aws-chunked uploads) are refused by several S3-compatible servers
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
        // one retry: an endpoint that refuses twice is reported, not waited on
        maxAttempts: 2,
        requestHandler: {
          connectionTimeout: this.options.connectTimeoutMs ?? 5_000,
          requestTimeout: 300_000,
        },
      });
    });
    return this.client;
  }

  /** The SDK's error as a coded one. */
  private coded(error: unknown, sha256: string): LacunaError {
    if (isLacunaError(error)) return error;
    const { name = "", $metadata } = error as {
      name?: string;
      $metadata?: { httpStatusCode?: number };
    };
    const status = $metadata?.httpStatusCode;
    if (name === "NoSuchBucket") return new BlobBucketMissingError(this.where, error);
    if (name === "NoSuchKey" || (name === "NotFound" && status === 404))
      return new BlobMissingError(
        sha256,
        this.where,
        error,
        "the coordinator puts each blob before queuing its blocks: was it deleted, or is this worker's LACUNA_S3_ENDPOINT another store?",
      );
    if (status === 403 || DENIED.has(name)) return new BlobStoreDeniedError(this.where, error);
    if (status === undefined) return new BlobStoreUnreachableError(this.where, error);
    const why = error instanceof Error ? error.message : String(error);
    return new LacunaError(
      "unavailable",
      "BLOB_STORE_FAILED",
      `the blob store ${this.where} answered ${status} (${name}): ${why}`,
      { cause: error },
    );
  }

  /** As BlobStore.put: a HEAD first, so a blob already there is not sent again. */
  async put(sha256: string, bytes: Uint8Array): Promise<void> {
    const sdk = await import("@aws-sdk/client-s3");
    const client = await this.s3();
    const Bucket = this.options.bucket;
    const Key = this.key(sha256);
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket, Key }));
      if (head.ContentLength === bytes.byteLength) return;
    } catch (error) {
      const coded = this.coded(error, sha256);
      // absent (or a HEAD on a missing bucket, which has no body to say so): the PUT tells
      if (coded.code !== "BLOB_MISSING") throw coded;
    }
    try {
      await client.send(new sdk.PutObjectCommand({ Bucket, Key, Body: bytes }));
    } catch (error) {
      throw this.coded(error, sha256);
    }
  }

  async get(sha256: string): Promise<Uint8Array> {
    const sdk = await import("@aws-sdk/client-s3");
    const client = await this.s3();
    try {
      const answer = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }),
      );
      if (!answer.Body) throw new BlobMissingError(sha256, this.where);
      return await answer.Body.transformToByteArray();
    } catch (error) {
      throw this.coded(error, sha256);
    }
  }

  /** Closes the SDK's connections. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) (await client).destroy();
  }
}

/**
 * The blob store a coordinator or worker uses: `spec` (`--blob-store`, else LACUNA_BLOB_STORE) an
 * s3:// URL, with LACUNA_S3_ENDPOINT; none: the folder under `dataDir`.
 * @throws InvalidBlobStoreError
 */
export function openBlobStore(
  spec: string | undefined,
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): FileBlobStore | S3BlobStore {
  const chosen = spec ?? env.LACUNA_BLOB_STORE;
  if (chosen === undefined || chosen === "") return new FileBlobStore(blobDir(dataDir));
  const endpoint = env.LACUNA_S3_ENDPOINT;
  if (endpoint !== undefined && endpoint !== "" && !/^https?:\/\/[^/]+/.test(endpoint))
    throw new InvalidBlobStoreError(endpoint, "LACUNA_S3_ENDPOINT", "an http:// or https:// URL");
  return new S3BlobStore({
    ...parseBlobStoreUrl(chosen),
    endpoint: endpoint === "" ? undefined : endpoint,
  });
}
