import { type Command, Option } from "commander";
import {
  type CoverageMethod,
  COVERAGE_METHODS,
  coverageFromRadii,
  type CoverageResult,
  DISTANCE_METRICS,
  type DistanceMetric,
  type Embeddings,
  ensureUnitInterval,
  flaggedSampleRows,
  InvalidParameterError,
  assertNoOverflow,
  normalizeRows,
  perClassStatistics,
  validateK,
  validateMetric,
} from "@lacuna/core";
import {
  type Backend,
  BACKENDS,
  KnnPool,
  PROJECTION_METHODS,
  type ProjectionMethod,
} from "@lacuna/worker";
import {
  type DatasetFlags,
  addDatasetOptions,
  checkSource,
  sourceEmbeddings,
} from "./dataset-embeddings.js";
import { progressBar } from "./progress.js";
import { leastCoveredGrid, scatterPicture, writePng } from "./pictures.js";
import { type ImageDataset, type Labels, flaggedExportRecords } from "@lacuna/io";
import { runCrossCoverage } from "./cross-coverage.js";
import { addRedisOption, clusterRadii, type RedisFlags, redisUrlOf } from "./cluster-option.js";
import {
  type ExportFlags,
  addExportOptions,
  checkExportFlags,
  writeExport,
} from "./export-option.js";
import { gapRegionsJson, gapRegionsTable } from "./gap-report.js";
import { GAP_TABLE_LIMIT, type GapStep, selfGapStep } from "./gap-step.js";
import { addSecondSetOptions, hasSecondSet, secondSetFlags } from "./second-set.js";
import { fractionOption, integerOption, nonNegativeOption, positiveOption } from "./options.js";
import { coverageJson, coverageTable, perClassTable } from "./report.js";
import {
  memoryBudget,
  rowsToStream,
  runStreamedCoverage,
  sizeOption,
} from "./streamed-coverage.js";

interface CoverageFlags extends Omit<DatasetFlags, "dataset">, ExportFlags, RedisFlags {
  metric: DistanceMetric;
  gaps: boolean;
  linkFactor: number;
  k: number;
  percent: number;
  method: CoverageMethod;
  forceUnitInterval: boolean;
  json: boolean;
  backend: Backend;
  threads?: number;
  labels?: string;
  embeddings?: string;
  dataset?: string;
  perClass: boolean;
  png?: string;
  scatter?: string;
  projection: ProjectionMethod;
  minClassSamples: number;
  nearDuplicateFactor: number;
  memory?: number;
}

/** `lacuna coverage`: coverage of .npy embeddings, as a table or as DataEval's JSON fields. */
export function registerCoverageCommand(program: Command): void {
  const command = program
    .command("coverage")
    .description(
      "find the samples in undersampled regions of an embedding space (DataEval's coverage)",
    )
    .option("--embeddings <file>", "2-D .npy embeddings, n x d (float32, float64 or integer)")
    .option(
      "--dataset <id>",
      "instead of --embeddings: encode a dataset (mnist:train, mnist:test, folder:DIR) with --model",
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
    .option("--png <file>", "with --dataset: write the 4 x 5 grid of the 20 least-covered images")
    .option(
      "--scatter <file>",
      "write a 2-D projection coloured by label, the uncovered samples ringed",
    )
    .addOption(
      new Option("--projection <method>", "projection for --scatter")
        .choices(PROJECTION_METHODS)
        .default("tsne"),
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
    .addOption(
      new Option(
        "--metric <metric>",
        "distance: cosine scales rows to unit length (radii are chord lengths r, cosine distance r^2/2; adaptive only)",
      )
        .choices(DISTANCE_METRICS)
        .default("euclidean"),
    )
    .option("--gaps", "with --json: add the gap regions (the table always shows them)", false)
    .option(
      "--link-factor <f>",
      "gap regions: flagged samples within f x the coverage radius join one region",
      positiveOption,
      2,
    );
  addSecondSetOptions(command, "query", "coverage of a query set by the reference");
  addRedisOption(command, "compute the radii on the `lacuna worker` processes of this Redis");
  addExportOptions(command);
  command.option(
    "--memory <size>",
    "with --embeddings: stream the file by row blocks when its array is larger (default: LACUNA_MEMORY, else half the machine's memory)",
    sizeOption,
  );
  addDatasetOptions(command).action(async (flags: CoverageFlags) => {
    const query = secondSetFlags(flags, "query");
    if (flags.dataset === undefined && flags.embeddings !== undefined) {
      // an array over the budget streams: the plain coverage, never the whole array
      const budget = memoryBudget(flags.memory);
      const rows = await rowsToStream(flags.embeddings, budget);
      if (rows !== null) {
        await runStreamedCoverage(flags, rows, budget, hasSecondSet(query));
        return;
      }
    }
    if (hasSecondSet(query)) {
      // cross coverage's query-to-reference search is not distributed (yet): say so, never ignore it
      if (flags.redis !== undefined)
        throw new InvalidParameterError("--redis", flags.redis, "used without --query");
      if (flags.blobStore !== undefined)
        throw new InvalidParameterError("--blob-store", flags.blobStore, "used without --query");
      await runCrossCoverage(flags, query);
      return;
    }
    checkSource(flags);
    checkExportFlags(flags);
    validateMetric(flags.metric, flags.method);
    if (flags.png && !flags.dataset) {
      throw new InvalidParameterError(
        "--png",
        flags.png,
        "used with --dataset (it draws the images)",
      );
    }
    if (flags.perClass && !flags.labels && !flags.dataset) {
      throw new InvalidParameterError(
        "--per-class",
        true,
        "used with --labels FILE (or --dataset)",
      );
    }
    const started = performance.now();
    const pool = new KnnPool({ threads: flags.threads });
    let embeddings: Embeddings;
    let labels: Labels | undefined;
    let source: string;
    let picked: Int32Array | undefined;
    let coordinates: Float64Array | undefined;
    let images: ImageDataset | undefined;
    let radii: Float64Array;
    let unit: Embeddings;
    let result: CoverageResult;
    let step: GapStep | undefined;
    try {
      ({ embeddings, labels, source, picked, images } = await sourceEmbeddings(flags, pool));
      // every input check before the radii, so bad input costs nothing
      validateK(flags.k, embeddings.n);
      const redis = redisUrlOf(flags);
      // the radii's threads start while the values are checked
      if (!redis) pool.warm(embeddings.d, flags.backend);
      unit =
        flags.metric === "cosine"
          ? normalizeRows(embeddings)
          : ensureUnitInterval(embeddings, flags.forceUnitInterval);
      const computed = redis
        ? await clusterRadii(redis, unit, flags.k, {
            dataDir: flags.dataDir,
            blobStore: flags.blobStore,
            onProgress: progressBar("neighbours", flags),
          })
        : await pool.computeRadii(unit, flags.k, {
            backend: flags.backend,
            onProgress: progressBar("neighbours", flags),
            // this command's own array, read by nothing else meanwhile: no reordered copy
            reorderInPlace: true,
          });
      radii = computed.radii;
      // a native part that would not load (headless-gl unbuilt, onnxruntime-node broken): the
      // radii are the same, but say which and why
      for (const { part, reason, instead } of "unavailable" in computed
        ? (computed.unavailable ?? [])
        : []) {
        process.stderr.write(
          `lacuna: ${part} unavailable: ${reason}; ${instead}. See the README, Install\n`,
        );
      }
      if (flags.scatter) {
        assertNoOverflow(embeddings);
        coordinates = (
          await pool.project(embeddings, flags.projection, {
            onProgress: progressBar(flags.projection, flags),
          })
        ).coordinates;
      }
      result = coverageFromRadii(radii, { ...flags, d: embeddings.d });
      // the gap regions in the pool, before it closes; the table's are capped (GAP_TABLE_LIMIT)
      const wanted = !flags.json || flags.gaps || flags.export !== undefined;
      step = wanted
        ? await selfGapStep(pool, unit, result, flags.k, {
            labels: labels?.labels,
            linkFactor: flags.linkFactor,
            limit: flags.json || flags.export !== undefined ? undefined : GAP_TABLE_LIMIT,
            json: flags.json,
            neighbours: flags.export !== undefined,
          })
        : undefined;
    } finally {
      await pool.close();
    }
    const perClass =
      flags.perClass && labels
        ? perClassStatistics(embeddings, labels.labels, result.uncoveredIndices, {
            minClassSamples: flags.minClassSamples,
            nearDuplicateFactor: flags.nearDuplicateFactor,
          })
        : undefined;
    const gaps = step?.gaps;
    const seconds = (performance.now() - started) / 1000;
    const neighbours = step?.neighbours;
    if (step && neighbours && gaps) {
      await writeExport(
        flags,
        {
          source: images?.id ?? flags.embeddings ?? "embeddings",
          sourceIndices: picked,
          neighbourSourceIndices: picked,
          classNames: labels?.classNames,
          coverageRadius: result.coverageRadius,
        },
        (context) =>
          flaggedExportRecords(
            flaggedSampleRows({
              flagged: step.flagged,
              radii: result.criticalValueRadii,
              labels: labels?.labels,
              regionOf: gaps.regionOf,
              neighbours,
            }),
            context,
          ),
      );
    }
    if (flags.scatter && coordinates) {
      const png = await scatterPicture(
        coordinates,
        labels,
        new Set(result.uncoveredIndices),
        `${images?.id ?? "coverage"}: ${flags.projection}, uncovered ringed`,
      );
      await writePng(flags.scatter, png);
    }
    if (flags.png && images && picked) {
      await writePng(flags.png, await leastCoveredGrid(images, picked, result, labels));
    }
    if (flags.json) {
      process.stdout.write(
        `${coverageJson(
          result,
          perClass && labels ? { rows: perClass, classNames: labels.classNames } : undefined,
          gaps && flags.gaps ? gapRegionsJson(gaps) : undefined,
        )}\n`,
      );
      return;
    }
    process.stdout.write(
      `${coverageTable({
        source,
        indices: picked,
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
    if (step) {
      const table = gapRegionsTable(step.gaps, labels?.classNames, picked, step.leftOut);
      process.stdout.write(`\n${table}\n`);
    }
  });
}
