/**
 * Content-addressed blobs: the embeddings a computation needs, written once under their sha256 by
 * the coordinator, read once by each worker and kept in its memory. On one machine, or machines
 * sharing a filesystem, the store is a folder under the data directory, so `--redis URL` is the
 * only setting a worker needs.
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

/**
 * Stores the embeddings' values under `dir` (created if needed) unless a blob of the same hash is
 * there already; the write goes to a temporary name first, so a reader never sees half a blob.
 * @returns the reference a worker needs
 */
export async function putBlob(dir: string, embeddings: Embeddings): Promise<BlobRef> {
  const { data, n, d } = embeddings;
  const sha256 = sha256Of(data);
  const ref: BlobRef = {
    sha256,
    dtype: data instanceof Float32Array ? "float32" : "float64",
    n,
    d,
  };
  const path = join(dir, sha256);
  const exists = await stat(path).then(
    (s) => s.size === data.byteLength,
    () => false,
  );
  if (exists) return ref;
  await mkdir(dir, { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString("hex")}.part`;
  await writeFile(temporary, bytesOf(data));
  await rename(temporary, path);
  return ref;
}

/**
 * Reads a blob into shared memory (the worker pool then shares it with its threads without a copy)
 * and checks its hash. @throws BlobMissingError, BlobCorruptError
 */
export async function readBlob(dir: string, ref: BlobRef): Promise<Embeddings> {
  // the name comes from a job in Redis: never a path outside the blob folder
  if (!/^[0-9a-f]{64}$/.test(ref.sha256))
    throw new BlobCorruptError(String(ref.sha256), "(not a sha256)");
  const path = join(dir, ref.sha256);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new BlobMissingError(ref.sha256, dir, error);
  }
  const actual = sha256Of(bytes);
  if (actual !== ref.sha256) throw new BlobCorruptError(ref.sha256, actual);
  const width = ref.dtype === "float32" ? 4 : 8;
  if (bytes.byteLength !== ref.n * ref.d * width)
    throw new BlobCorruptError(ref.sha256, `${bytes.byteLength} bytes for ${ref.n} x ${ref.d}`);
  const shared = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(shared).set(bytes);
  const data = ref.dtype === "float32" ? new Float32Array(shared) : new Float64Array(shared);
  return createEmbeddings(data, ref.n, ref.d);
}

/**
 * A worker's blobs in memory, the most recent `capacity` kept: a computation's blocks all read the
 * same blob, so each worker reads it from disk once.
 */
export class BlobCache {
  private readonly held = new Map<string, Promise<Embeddings>>();

  constructor(
    private readonly dir: string,
    private readonly capacity = 2,
  ) {}

  /** The blob's embeddings, read on first use. @throws as readBlob */
  get(ref: BlobRef): Promise<Embeddings> {
    const key = `${ref.sha256}/${ref.dtype}/${ref.n}x${ref.d}`;
    let found = this.held.get(key);
    if (found) {
      this.held.delete(key);
    } else {
      found = readBlob(this.dir, ref);
      // a failed read is not kept: the next block tries again (the file may have arrived)
      found.catch(() => this.held.delete(key));
    }
    this.held.set(key, found);
    while (this.held.size > this.capacity) this.held.delete(this.held.keys().next().value!);
    return found;
  }
}
