import { createHash, randomBytes } from "node:crypto";
import { LacunaError } from "@lacuna/core";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { makeDirectory } from "../formats/make-dir.js";
import { join } from "node:path";
import { decodeNpy, encodeNpy } from "../formats/npy.js";
import { describeFsError } from "../formats/fs-errors.js";

/** What makes two embedding computations the same: change any part and the cache misses. */
export interface EmbeddingKey {
  /** sha256 of the dataset's pixels and labels. */
  readonly datasetHash: string;
  /** The dataset indices encoded, in order. */
  readonly indices: Int32Array;
  /** sha256 of the model's files. */
  readonly modelHash: string;
  /** Names the preprocessing, e.g. "mnist-normalize(0.1307,0.3081)/float32". */
  readonly transforms: string;
}

export interface CachedEmbeddings {
  readonly codes: Float32Array;
  readonly n: number;
  readonly d: number;
  /** True when read back from the cache, false when computed now. */
  readonly cached: boolean;
}

/** The cache file name for a key: a sha256 of all its parts. */
export function embeddingCacheKey(key: EmbeddingKey): string {
  return createHash("sha256")
    .update(`lacuna-embeddings-v1\n${key.datasetHash}\n${key.modelHash}\n${key.transforms}\n`)
    .update(new Uint8Array(key.indices.buffer, key.indices.byteOffset, key.indices.byteLength))
    .digest("hex");
}

/**
 * Embeddings from the on-disk cache in `dir` when an intact entry exists, else from `compute`,
 * then stored. An entry is a .npy file and a sidecar holding its sha256: a file that does not match
 * its checksum (a torn write, a bad disk) is deleted and recomputed, never used. Files are written
 * beside their final name and renamed, so a crash leaves either nothing or a whole entry.
 */
export async function cachedEmbeddings(
  dir: string,
  key: EmbeddingKey,
  compute: () => Promise<{ codes: Float32Array; d: number }>,
  options: { onWriteError?: (error: CacheWriteError) => void } = {},
): Promise<CachedEmbeddings> {
  const name = embeddingCacheKey(key);
  const file = join(dir, `${name}.npy`);
  const sidecar = join(dir, `${name}.sha256`);
  const hit = await readEntry(file, sidecar, key.indices.length);
  if (hit) return { ...hit, cached: true };
  const { codes, d } = await compute();
  const bytes = encodeNpy(codes, [key.indices.length, d]);
  // random, not the pid alone: servers on several machines (containers: often all pid 1) may share
  // this folder and write the same entry at once
  const tmp = `.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    makeDirectory(dir);
    await writeFile(file + tmp, bytes);
    await rename(file + tmp, file);
    await writeFile(sidecar + tmp, `${sha256(bytes)}\n`);
    await rename(sidecar + tmp, sidecar);
  } catch (cause) {
    // a full disk or an unwritable folder: leave no partial file behind (an entry without its
    // sidecar is never read), then report; the embeddings themselves are fine
    await Promise.all([rm(file + tmp, { force: true }), rm(sidecar + tmp, { force: true })]).catch(
      () => undefined,
    );
    const error = new CacheWriteError(dir, cause);
    if (!options.onWriteError) throw error;
    options.onWriteError(error);
  }
  return { codes, n: key.indices.length, d, cached: false };
}

/** An intact cache entry for `key`, or null (no entry, or a damaged one, which is then deleted). */
export async function readCachedEmbeddings(
  dir: string,
  key: EmbeddingKey,
): Promise<Omit<CachedEmbeddings, "cached"> | null> {
  const name = embeddingCacheKey(key);
  return readEntry(join(dir, `${name}.npy`), join(dir, `${name}.sha256`), key.indices.length);
}

/** The embedding cache could not be written (full disk, unwritable folder); nothing partial remains. */
export class CacheWriteError extends LacunaError {
  constructor(
    readonly dir: string,
    cause: unknown,
  ) {
    super(
      "unavailable",
      "CACHE_WRITE_FAILED",
      `cannot write the embedding cache in ${dir}: ${describeFsError(cause)}`,
      { cause },
    );
  }
}

async function readEntry(
  file: string,
  sidecar: string,
  n: number,
): Promise<Omit<CachedEmbeddings, "cached"> | null> {
  let bytes: Buffer;
  let expected: string;
  try {
    [bytes, expected] = await Promise.all([readFile(file), readFile(sidecar, "utf8")]);
  } catch {
    return null; // no entry (or half of one): compute
  }
  if (sha256(bytes) !== expected.trim()) {
    await Promise.all([rm(file, { force: true }), rm(sidecar, { force: true })]);
    return null;
  }
  const array = decodeNpy(bytes);
  if (array.dtype !== "float32" || array.shape.length !== 2 || array.shape[0] !== n) return null;
  return { codes: array.data, n, d: array.shape[1]! };
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** sha256 of a dataset's pixels and labels, computed once per dataset object. */
const datasetHashes = new WeakMap<object, string>();
export function datasetContentHash(dataset: {
  pixels: Uint8Array;
  labels: Int32Array;
  imageShape: readonly number[];
}): string {
  let hash = datasetHashes.get(dataset);
  if (!hash) {
    hash = createHash("sha256")
      .update(dataset.imageShape.join("x"))
      .update(dataset.pixels)
      .update(
        new Uint8Array(dataset.labels.buffer, dataset.labels.byteOffset, dataset.labels.byteLength),
      )
      .digest("hex");
    datasetHashes.set(dataset, hash);
  }
  return hash;
}
