import { type Command, Option } from "commander";
import { type Embeddings, InvalidParameterError, assertNoOverflow } from "@lacuna/core";
import { KnnPool, PROJECTION_METHODS, type ProjectionMethod } from "@lacuna/worker";
import { type Labels, writeNpyFile } from "@lacuna/io";
import {
  type DatasetFlags,
  addDatasetOptions,
  checkSource,
  sourceEmbeddings,
} from "./dataset-embeddings.js";
import { integerOption } from "./options.js";
import { scatterPicture, writePng } from "./pictures.js";
import { progressBar } from "./progress.js";

interface ProjectFlags extends Omit<DatasetFlags, "dataset"> {
  embeddings?: string;
  dataset?: string;
  labels?: string;
  method: ProjectionMethod;
  seed: number;
  out?: string;
  scatter?: string;
  threads?: number;
  json: boolean;
}

/** `lacuna project`: 2-D coordinates of embeddings (t-SNE, UMAP or PCA), as .npy, JSON or a picture. */
export function registerProjectCommand(program: Command): void {
  const command = program
    .command("project")
    .description(
      "project embeddings to 2-D (t-SNE, UMAP or PCA) and write the coordinates or a scatter plot",
    )
    .option("--embeddings <file>", "2-D .npy embeddings, n x d")
    .option(
      "--dataset <id>",
      "instead of --embeddings: encode a dataset (mnist:train, mnist:test, folder:DIR)",
    )
    .option(
      "--labels <file>",
      "per-sample labels to colour the scatter plot (a dataset brings its own)",
    )
    .addOption(
      new Option("--method <method>", "projection").choices(PROJECTION_METHODS).default("tsne"),
    )
    .option("--seed <n>", "random seed: the same seed gives the same picture", integerOption(0), 0)
    .option("--out <file.npy>", "write the coordinates as float64 .npy (n x 2)")
    .option("--scatter <file.png>", "write a scatter plot coloured by label")
    .option("--json", "print the coordinates as JSON", false)
    .option(
      "--threads <n>",
      "worker threads (default: LACUNA_THREADS, else every core)",
      integerOption(1),
    );
  addDatasetOptions(command).action(async (flags: ProjectFlags) => {
    checkSource(flags);
    if (!flags.out && !flags.scatter && !flags.json) {
      throw new InvalidParameterError(
        "output",
        null,
        "at least one of --out FILE.npy, --scatter FILE.png and --json",
      );
    }
    const pool = new KnnPool({ threads: flags.threads });
    let embeddings: Embeddings;
    let labels: Labels | undefined;
    let coordinates: Float64Array;
    let source: string;
    try {
      ({ embeddings, labels, source } = await sourceEmbeddings(flags, pool));
      // values near 1e308 would give NaN coordinates (printed as null): refused with a coded error
      assertNoOverflow(embeddings);
      coordinates = (
        await pool.project(embeddings, flags.method, {
          seed: flags.seed,
          onProgress: progressBar(flags.method, flags),
        })
      ).coordinates;
    } finally {
      await pool.close();
    }
    if (flags.out) await writeNpyFile(flags.out, coordinates, [embeddings.n, 2]);
    if (flags.scatter) {
      const png = await scatterPicture(
        coordinates,
        labels,
        new Set(),
        `${source}: ${flags.method}`,
      );
      await writePng(flags.scatter, png);
    }
    if (flags.json)
      process.stdout.write(
        `${JSON.stringify({ method: flags.method, seed: flags.seed, coordinates: Array.from(coordinates) })}\n`,
      );
    else
      process.stdout.write(
        `projected ${embeddings.n} samples of ${source} with ${flags.method} (seed ${flags.seed})\n`,
      );
  });
}
