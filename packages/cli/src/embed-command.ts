import type { Command } from "commander";
import { KnnPool } from "@lacuna/worker";
import { writeNpyFile } from "@lacuna/io";
import { type DatasetFlags, addDatasetOptions, datasetEmbeddings } from "./dataset-embeddings.js";
import { integerOption } from "./options.js";
import { progressBar } from "./progress.js";

interface EmbedFlags extends DatasetFlags {
  out: string;
  threads?: number;
}

/** `lacuna embed`: a dataset's images through the encoder, written as float32 .npy (n x d). */
export function registerEmbedCommand(program: Command): void {
  const command = program
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
      "--threads <n>",
      "worker threads (default: LACUNA_THREADS, else every core)",
      integerOption(1),
    );
  addDatasetOptions(command).action(async (flags: EmbedFlags) => {
    const started = performance.now();
    const pool = new KnnPool({ threads: flags.threads });
    let result;
    try {
      result = await datasetEmbeddings(flags, pool, progressBar("encoding"));
    } finally {
      await pool.close();
    }
    await writeNpyFile(flags.out, result.codes, [result.picked.length, result.d]);
    const seconds = (performance.now() - started) / 1000;
    const how = result.cached
      ? "read from the cache"
      : `${result.backend}, ${pool.threads} threads`;
    process.stdout.write(
      `wrote ${flags.out}: ${result.picked.length} x ${result.d} float32 embeddings of ${result.dataset.id} (${how}, ${seconds.toFixed(2)} s)\n`,
    );
  });
}
