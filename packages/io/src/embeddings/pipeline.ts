import type { ImageDataset } from "../datasets/dataset.js";
import { imageBytes } from "../datasets/dataset.js";
import {
  type CacheWriteError,
  type EmbeddingKey,
  cachedEmbeddings,
  datasetContentHash,
} from "./cache.js";

/** What an encoder returns for n images: n x d float32 codes and the backend that ran it. */
export interface EncodedCodes {
  readonly codes: Float32Array;
  readonly d: number;
  /** For people: which backend encoded (a TensorFlow.js backend's name, for instance). */
  readonly backend: string;
}

/**
 * Encodes n images given as one buffer of n x h x w x c bytes. The pipeline takes the encoder as a
 * function so that io needs no worker pool: the CLI and the server pass their pool's `encode`.
 */
export type Encode = (pixels: Uint8Array, n: number) => Promise<EncodedCodes>;

/** One selection of an image dataset to embed with one model. */
export interface SelectionEmbeddingsRequest {
  readonly images: ImageDataset;
  /** Dataset index of each row, in order (a selection's result). */
  readonly indices: Int32Array;
  /** sha256 of the model's files. */
  readonly modelHash: string;
  /** Names the preprocessing the encoder applies, e.g. the worker's MNIST_TRANSFORMS_ID. */
  readonly transforms: string;
  /** The embedding cache folder, or null to always encode and never write. */
  readonly cacheDir: string | null;
  readonly encode: Encode;
  /** A failed cache write is reported here and the embeddings are still returned; without it, it throws. */
  readonly onCacheWriteError?: (error: CacheWriteError) => void;
}

/** Embeddings of a selection: n x d float32 codes, and where they came from. */
export interface SelectionEmbeddings {
  readonly codes: Float32Array;
  readonly n: number;
  readonly d: number;
  /** True when read back from the cache. */
  readonly cached: boolean;
  /** The encoder's backend, or "cache". */
  readonly backend: string;
}

/** The cache key of a selection: the dataset's content, the indices, the model and the transforms. */
export function selectionKey(
  images: ImageDataset,
  indices: Int32Array,
  modelHash: string,
  transforms: string,
): EmbeddingKey {
  return { datasetHash: datasetContentHash(images), indices, modelHash, transforms };
}

/** The pixels of the selected images, one after another (n x h x w x c bytes, a copy). */
export function selectedPixels(images: ImageDataset, indices: Int32Array): Uint8Array {
  const [h, w, c] = images.imageShape;
  const size = h * w * c;
  const pixels = new Uint8Array(indices.length * size);
  indices.forEach((index, row) => pixels.set(imageBytes(images, index), row * size));
  return pixels;
}

/**
 * The pipeline's embedding step, the same for the CLI and the server: the selection's embeddings
 * from the cache when an intact entry is there, else encoded by `encode` and stored.
 * @throws what `encode` throws; CacheWriteError when the cache cannot be written and no
 *   `onCacheWriteError` is given
 */
export async function selectionEmbeddings(
  request: SelectionEmbeddingsRequest,
): Promise<SelectionEmbeddings> {
  const { images, indices, encode } = request;
  let backend = "cache";
  const compute = async () => {
    const encoded = await encode(selectedPixels(images, indices), indices.length);
    backend = encoded.backend;
    return { codes: encoded.codes, d: encoded.d };
  };
  if (request.cacheDir === null) {
    const { codes, d } = await compute();
    return { codes, n: indices.length, d, cached: false, backend };
  }
  const key = selectionKey(images, indices, request.modelHash, request.transforms);
  const result = await cachedEmbeddings(request.cacheDir, key, compute, {
    onWriteError: request.onCacheWriteError,
  });
  return { ...result, backend };
}
