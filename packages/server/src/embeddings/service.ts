import { type Embeddings, createEmbeddings } from "@lacuna/core";
import { type KnnPool, MNIST_TRANSFORMS_ID, modelHash } from "@lacuna/worker";
import { InvalidArgumentError } from "../errors.js";
import {
  DEFAULT_MODEL,
  type EmbeddingKey,
  type Selection,
  applySelection,
  embeddingCacheKey,
  resolveModelDir,
  selectionEmbeddings,
  selectionKey,
} from "@lacuna/io";
import type { DatasetService, LoadedDataset } from "../datasets/service.js";

export interface EmbeddingsRequest {
  readonly datasetId: string;
  readonly selection?: Selection | null;
  /** Encoder name (a folder under the models directory); default mnist-ae; none for embedding datasets. */
  readonly model?: string | null;
}

/** Embeddings of a selection, with where each row came from. */
export interface ResolvedEmbeddings {
  readonly dataset: LoadedDataset;
  /** Dataset index of each row. */
  readonly indices: Int32Array;
  /** Label of each row, or null for unlabelled embeddings. */
  readonly labels: Int32Array | null;
  readonly embeddings: Embeddings;
  /** The encoder used, or null when the dataset holds embeddings. */
  readonly model: string | null;
  /** Content hash of the encoder (or "precomputed"); part of every cache key downstream. */
  readonly modelHash: string;
  /** TensorFlow.js backend that encoded, "cache", or "precomputed". */
  readonly backend: string;
  readonly cached: boolean;
}

export interface WorkOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Turns (dataset, selection, model) into embeddings: read as they are for embedding datasets;
 * otherwise from the on-disk cache, or encoded in the worker pool and cached. Identical requests
 * in flight share one encoding.
 */
export class EmbeddingService {
  private readonly inFlight = new Map<string, SharedEncode>();
  /** Model hashes, computed once per process (replace a model's files, then restart). */
  private readonly modelHashes = new Map<string, Promise<string>>();
  private readonly modelDirs = new Map<string, Promise<string>>();

  constructor(
    private readonly datasets: DatasetService,
    private readonly pool: KnnPool,
    private readonly options: {
      readonly cacheDir: string;
      readonly modelsDir: string;
      /** A failed cache write is reported here and the computation goes on; without it, it fails. */
      readonly onCacheWriteError?: (error: Error) => void;
    },
  ) {}

  /** The model folder for a name (io's one resolver), checked once per process. @throws ModelChoiceError */
  modelDir(model: string): Promise<string> {
    let dir = this.modelDirs.get(model);
    if (!dir) {
      dir = resolveModelDir({ model }, this.options.modelsDir);
      this.modelDirs.set(model, dir);
      dir.catch(() => this.modelDirs.delete(model));
    }
    return dir;
  }

  /** The content hash of a model's files, once per process. */
  private hashOf(dir: string): Promise<string> {
    let hash = this.modelHashes.get(dir);
    if (!hash) {
      hash = modelHash(dir);
      this.modelHashes.set(dir, hash);
      hash.catch(() => this.modelHashes.delete(dir));
    }
    return hash;
  }

  /**
   * What identifies a request's embeddings without computing them: the loaded dataset and the
   * model's hash ("precomputed" for embedding datasets). @throws NotFoundError, InvalidArgumentError
   */
  async identity(
    request: EmbeddingsRequest,
  ): Promise<{ dataset: LoadedDataset; modelHash: string }> {
    const dataset = await this.datasets.load(request.datasetId);
    if (dataset.kind === "embeddings") {
      if (request.model) {
        throw new InvalidArgumentError(
          "model",
          `absent: dataset "${dataset.record.id}" already holds embeddings`,
          request.model,
        );
      }
      return { dataset, modelHash: "precomputed" };
    }
    return {
      dataset,
      modelHash: await this.hashOf(await this.modelDir(request.model ?? DEFAULT_MODEL)),
    };
  }

  async resolve(request: EmbeddingsRequest, work: WorkOptions = {}): Promise<ResolvedEmbeddings> {
    const { dataset, modelHash } = await this.identity(request);
    const indices = selectIndices(dataset, request.selection ?? {});
    const labels = dataset.labels ? indices.map((i) => dataset.labels![i]!) : null;
    if (dataset.kind === "embeddings") {
      const { data, d } = dataset.embeddings;
      const rows =
        data instanceof Float32Array
          ? new Float32Array(indices.length * d)
          : new Float64Array(indices.length * d);
      indices.forEach((index, r) => rows.set(data.subarray(index * d, (index + 1) * d), r * d));
      return {
        dataset,
        indices,
        labels,
        embeddings: createEmbeddings(rows, indices.length, d),
        model: null,
        modelHash,
        backend: "precomputed",
        cached: true,
      };
    }
    const model = request.model ?? DEFAULT_MODEL;
    const dir = await this.modelDir(model);
    const key = selectionKey(dataset.images, indices, modelHash, MNIST_TRANSFORMS_ID);
    const name = embeddingCacheKey(key);
    let shared = this.inFlight.get(name);
    if (!shared) {
      // one encoding for every identical request: it has its own controller, stopped only when
      // every request waiting on it has been cancelled, and reports progress to all of them
      const controller = new AbortController();
      const listeners = new Set<(done: number, total: number) => void>();
      const entry: SharedEncode = {
        controller,
        listeners,
        waiting: 0,
        forget: () => {
          if (this.inFlight.get(name) === entry) this.inFlight.delete(name);
        },
        promise: this.encode(dataset, indices, labels, model, dir, key, {
          signal: controller.signal,
          onProgress: (done, total) => {
            for (const listener of listeners) listener(done, total);
          },
        }),
      };
      shared = entry;
      this.inFlight.set(name, entry);
      void entry.promise.finally(() => this.inFlight.delete(name)).catch(() => undefined);
    }
    return this.join(shared, work);
  }

  /** Waits on a shared encoding as one of its requests; a cancel leaves the others unharmed. */
  private join(shared: SharedEncode, work: WorkOptions): Promise<ResolvedEmbeddings> {
    const { signal, onProgress } = work;
    if (onProgress) shared.listeners.add(onProgress);
    shared.waiting++;
    const leave = () => {
      if (onProgress) shared.listeners.delete(onProgress);
      shared.waiting--;
    };
    if (!signal) return shared.promise.finally(leave);
    return new Promise<ResolvedEmbeddings>((resolve, reject) => {
      const onAbort = () => {
        leave();
        if (shared.waiting === 0) {
          // nobody waits any more: stop it, and let a new request start afresh
          shared.forget();
          shared.controller.abort(signal.reason);
        }
        reject(signal.reason as Error);
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      shared.promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          leave();
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          leave();
          reject(error as Error);
        },
      );
    });
  }

  private async encode(
    dataset: LoadedDataset & { kind: "images" },
    indices: Int32Array,
    labels: Int32Array | null,
    model: string,
    dir: string,
    key: EmbeddingKey,
    work: WorkOptions,
  ): Promise<ResolvedEmbeddings> {
    const result = await selectionEmbeddings({
      images: dataset.images,
      indices,
      modelHash: key.modelHash,
      transforms: key.transforms,
      cacheDir: this.options.cacheDir,
      encode: async (pixels, n) => {
        const encoded = await this.pool.encode(pixels, n, {
          modelDir: dir,
          signal: work.signal,
          onProgress: work.onProgress,
        });
        return { codes: encoded.codes, d: encoded.dimensions, backend: encoded.backend };
      },
      onCacheWriteError: this.options.onCacheWriteError,
    });
    return {
      dataset,
      indices,
      labels,
      embeddings: createEmbeddings(result.codes, result.n, result.d),
      model,
      modelHash: key.modelHash,
      backend: result.backend,
      cached: result.cached,
    };
  }
}

/** The dataset indices a selection picks (indices, then classes, then limit). @throws InvalidSelectionError */
export function selectIndices(dataset: LoadedDataset, selection: Selection): Int32Array {
  return applySelection(
    selection,
    dataset.labels ?? new Int32Array(dataset.size),
    Math.max(dataset.classNames.length, 1),
  );
}

interface SharedEncode {
  readonly promise: Promise<ResolvedEmbeddings>;
  readonly controller: AbortController;
  readonly listeners: Set<(done: number, total: number) => void>;
  /** Requests waiting on it now. */
  waiting: number;
  /** Removes it from the in-flight map (once cancelled, nobody should join it). */
  readonly forget: () => void;
}
