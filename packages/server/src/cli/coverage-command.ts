import { type Command, Option } from "commander";
import {
  type CoverageMethod,
  COVERAGE_METHODS,
  coverageAdaptiveFromRadii,
  coverageNaiveFromRadii,
  ensureUnitInterval,
  InvalidParameterError,
  perClassStatistics,
  validateK,
} from "@lacuna/core";
import { type Backend, BACKENDS, KnnPool } from "@lacuna/worker";
import { loadEmbeddingsNpy } from "../embeddings-input.js";
import { readLabels } from "../embeddings/labels.js";
import { fractionOption, integerOption, nonNegativeOption } from "./options.js";
import { coverageJson, coverageTable, perClassTable } from "./report.js";

interface CoverageFlags {
  embeddings: string;
  k: number;
  percent: number;
  method: CoverageMethod;
  forceUnitInterval: boolean;
  json: boolean;
  backend: Backend;
  threads?: number;
  labels?: string;
  perClass: boolean;
  minClassSamples: number;
  nearDuplicateFactor: number;
}

/** `lacuna coverage`: coverage of .npy embeddings, as a table or as DataEval's JSON fields. */
export function registerCoverageCommand(program: Command): void {
  program
    .command("coverage")
    .description(
      "find the samples in undersampled regions of an embedding space (DataEval's coverage)",
    )
    .requiredOption(
      "--embeddings <file>",
      "2-D .npy embeddings, n x d (float32, float64 or integer)",
    )
    .option(
      "--k <k>",
      "neighbours: the radius is the distance to the k-th nearest (numObservations)",
      integerOption(1),
      20,
    )
    .option(
      "--percent <p>",
      "adaptive: the fraction of samples to flag, in (0, 1]",
      fractionOption,
      0.01,
    )
    .addOption(
      new Option("--method <method>", "coverage radius")
        .choices(COVERAGE_METHODS)
        .default("adaptive"),
    )
    .option(
      "--force-unit-interval",
      "rescale embeddings outside [0, 1] by their global min and max",
      false,
    )
    .option("--json", "print {coverageRadius, uncoveredIndices, criticalValueRadii} as JSON", false)
    .option(
      "--labels <file>",
      "per-sample labels (.npy of integers, or a JSON array) to show each flagged sample's class",
    )
    .option(
      "--per-class",
      "with --labels: DataEval's per-class report (uncovered, dispersion, isotropy, near duplicates)",
      false,
    )
    .option(
      "--min-class-samples <n>",
      "per-class: smallest class that is assessed",
      integerOption(2),
      20,
    )
    .option(
      "--near-duplicate-factor <f>",
      "per-class: a pair closer than f x the class's median nearest distance is a near duplicate",
      nonNegativeOption,
      0.5,
    )
    .addOption(
      new Option(
        "--backend <backend>",
        "where distances are computed: auto picks a hardware GPU, else the CPU kernel",
      )
        .choices(BACKENDS)
        .default("auto"),
    )
    .option(
      "--threads <n>",
      "worker threads (default: LACUNA_THREADS, else every core)",
      integerOption(1),
    )
    .action(async (flags: CoverageFlags) => {
      const embeddings = await loadEmbeddingsNpy(flags.embeddings);
      if (flags.perClass && !flags.labels) {
        throw new InvalidParameterError("--per-class", true, "used with --labels FILE");
      }
      const labels = flags.labels ? await readLabels(flags.labels, embeddings.n) : undefined;
      const started = performance.now();
      // every input check before the pool starts, so bad input costs nothing
      validateK(flags.k, embeddings.n);
      const unit = ensureUnitInterval(embeddings, flags.forceUnitInterval);
      const pool = new KnnPool({ threads: flags.threads });
      let radii: Float64Array;
      try {
        radii = (await pool.computeRadii(unit, flags.k, { backend: flags.backend })).radii;
      } finally {
        await pool.close();
      }
      const result =
        flags.method === "adaptive"
          ? coverageAdaptiveFromRadii(radii, flags.percent)
          : coverageNaiveFromRadii(radii, unit.d, flags.k);
      const perClass =
        flags.perClass && labels
          ? perClassStatistics(embeddings, labels.labels, result.uncoveredIndices, {
              minClassSamples: flags.minClassSamples,
              nearDuplicateFactor: flags.nearDuplicateFactor,
            })
          : undefined;
      const seconds = (performance.now() - started) / 1000;
      if (flags.json) {
        process.stdout.write(
          `${coverageJson(result, perClass && labels ? { rows: perClass, classNames: labels.classNames } : undefined)}\n`,
        );
        return;
      }
      process.stdout.write(
        `${coverageTable({
          source: flags.embeddings,
          n: embeddings.n,
          d: embeddings.d,
          k: flags.k,
          percent: flags.percent,
          method: flags.method,
          result,
          seconds,
          labels,
        })}\n`,
      );
      if (perClass && labels) {
        process.stdout.write(`\nPer class\n${perClassTable(perClass, labels.classNames)}\n`);
      }
    });
}
