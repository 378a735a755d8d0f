/**
 * Content-addressed blobs: the embeddings a computation needs, written once under their sha256 by
 * the coordinator, read once by each worker and kept in its memory. On one machine, or machines
 * sharing a filesystem, the store is a folder under the data directory, so `--redis URL` is the
 * only setting a worker needs. Past that, an S3-compatible store (s3-blob-store.ts) holds them, and
 * each worker keeps what it fetched in its own data directory.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createEmbeddings, type Embeddings } from "@lacuna/core";
import { BlobCorruptError, BlobMissingError } from "./errors.js";

/** Where the data lives and what it is: enough for a worker to rebuild the embeddings. */
export interface BlobRef {
  readonly sha256: string;
  readonly dtype: "float32" | "float64";
  readonly n: number;
  readonly d: number;
}

/** The blob folder under a Lacuna data directory. */
export function blobDir(dataDir: string): string {
  return join(dataDir, "blobs");
}

function bytesOf(data: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Hex sha256 of the array's bytes (little-endian, as typed arrays hold them on every Node target). */
export function sha256Of(data: Float32Array | Float64Array | Uint8Array): string {
  const bytes = data instanceof Uint8Array ? data : bytesOf(data);
  return createHash("sha256").update(bytes).digest("hex");
}

/** Where the coordinator puts blobs and the workers get them: one interface, a folder or S3. */
export interface BlobStore {
  /**
   * What the coordinator writes in its jobs and a worker must match: "local" for a folder under
   * the data directory (the path may differ between machines sharing it), "s3://BUCKET/PREFIX".
   */
  readonly description: string;
  /** Stores `bytes` under `sha256` unless a complete blob of that name is there already. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /** The blob's bytes, unchecked. @throws BlobMissingError, or the store's coded errors */
  get(sha256: string): Promise<Uint8Array>;
}

/** Blobs as files named by their sha256 in one folder (created on the first put). */
export class FileBlobStore implements BlobStore {
  readonly description = "local";

  constructor(readonly dir: string) {}

  /** As BlobStore.put; `overwrite` replaces a damaged copy of the same size. */
  async put(sha256: string, bytes: Uint8Array, overwrite = false): Promise<void> {
    const path = join(this.dir, sha256);
    const exists = await stat(path).then(
      (s) => s.size === bytes.byteLength,
      () => false,
    );
    if (exists && !overwrite) return;
    await mkdir(this.dir, { recursive: true });
    // a temporary name first: a reader never sees half a blob
    const temporary = `${path}.${randomBytes(6).toString("hex")}.part`;
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  }

  async get(sha256: string): Promise<Uint8Array> {
    try {
      return await readFile(join(this.dir, sha256));
    } catch (error) {
      throw new BlobMissingError(sha256, this.dir, error);
    }
  }
}

function storeOf(store: string | BlobStore): BlobStore {
  return typeof store === "string" ? new FileBlobStore(store) : store;
}

/**
 * Stores the embeddings' values in `store` (a folder path means a FileBlobStore) unless a blob of
 * the same hash is there already.
 * @returns the reference a worker needs
 */
export async function putBlob(store: string | BlobStore, embeddings: Embeddings): Promise<BlobRef> {
  const { data, n, d } = embeddings;
  const sha256 = sha256Of(data);
  await storeOf(store).put(sha256, bytesOf(data));
  return { sha256, dtype: data instanceof Float32Array ? "float32" : "float64", n, d };
}

/** Refuses a name that is not a sha256: it comes from a job in Redis and names a file or a key. */
function checkName(ref: BlobRef): void {
  if (!/^[0-9a-f]{64}$/.test(ref.sha256))
    throw new BlobCorruptError(String(ref.sha256), "(not a sha256)");
}

/** Why the bytes are not the blob `ref` names (their hash, their size), or null when they are. */
function corruption(ref: BlobRef, bytes: Uint8Array): string | null {
  const actual = sha256Of(bytes);
  if (actual !== ref.sha256) return actual;
  const width = ref.dtype === "float32" ? 4 : 8;
  if (bytes.byteLength !== ref.n * ref.d * width)
    return `${bytes.byteLength} bytes for ${ref.n} x ${ref.d}`;
  return null;
}

/** @throws BlobCorruptError when the bytes are not the blob `ref` names */
function verify(ref: BlobRef, bytes: Uint8Array): void {
  const problem = corruption(ref, bytes);
  if (problem !== null) throw new BlobCorruptError(ref.sha256, problem);
}

/** Verified bytes as embeddings in shared memory (the pool shares them with its threads). */
function toEmbeddings(ref: BlobRef, bytes: Uint8Array): Embeddings {
  const shared = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(shared).set(bytes);
  const data = ref.dtype === "float32" ? new Float32Array(shared) : new Float64Array(shared);
  return createEmbeddings(data, ref.n, ref.d);
}

/**
 * Reads a blob into shared memory and checks its hash. @throws BlobMissingError, BlobCorruptError,
 * or the store's coded errors
 */
export async function readBlob(store: string | BlobStore, ref: BlobRef): Promise<Embeddings> {
  checkName(ref);
  const bytes = await storeOf(store).get(ref.sha256);
  verify(ref, bytes);
  return toEmbeddings(ref, bytes);
}

/**
 * A worker's blobs in memory, the most recent `capacity` kept: a computation's blocks all read the
 * same blob, so each worker reads it once. With a `remote` store (S3), a blob the local folder
 * lacks is fetched from it once, verified, and kept in the folder for the next computation.
 */
export class BlobCache {
  private readonly held = new Map<string, Promise<Embeddings>>();
  private readonly local: FileBlobStore;

  constructor(
    dir: string,
    private readonly capacity = 2,
    private readonly remote?: BlobStore,
  ) {
    this.local = new FileBlobStore(dir);
  }

  /** The store a job's blob must come from for this worker to read it. */
  get description(): string {
    return (this.remote ?? this.local).description;
  }

  /** The blob's embeddings, read on first use. @throws as readBlob */
  get(ref: BlobRef): Promise<Embeddings> {
    const key = `${ref.sha256}/${ref.dtype}/${ref.n}x${ref.d}`;
    let found = this.held.get(key);
    if (found) {
      this.held.delete(key);
    } else {
      found = this.load(ref);
      // a failed read is not kept: the next block tries again (the file may have arrived)
      found.catch(() => this.held.delete(key));
    }
    this.held.set(key, found);
    while (this.held.size > this.capacity) this.held.delete(this.held.keys().next().value!);
    return found;
  }

  private async load(ref: BlobRef): Promise<Embeddings> {
    if (!this.remote) return readBlob(this.local, ref);
    checkName(ref);
    const cached = await this.local.get(ref.sha256).catch(() => null);
    // a damaged local copy is fetched again below and overwritten
    if (cached !== null && corruption(ref, cached) === null) return toEmbeddings(ref, cached);
    const bytes = await this.remote.get(ref.sha256);
    verify(ref, bytes);
    await this.local.put(ref.sha256, bytes, cached !== null);
    return toEmbeddings(ref, bytes);
  }
}
