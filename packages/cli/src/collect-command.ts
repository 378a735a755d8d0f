import { escapeTerminal } from "./terminal.js";
import { type Command, Option } from "commander";
import {
  type CollectResult,
  type CoverageMethod,
  COVERAGE_METHODS,
  DISTANCE_METRICS,
  type DistanceMetric,
  type Embeddings,
} from "@lacuna/core";
import { type CollectStep, KnnPool, poolCollect } from "@lacuna/worker";
import { collectExportRecords } from "@lacuna/io";
import { type DatasetFlags, addDatasetOptions } from "./dataset-embeddings.js";
import { type ExportFlags, addExportOptions, writeExport } from "./export-option.js";
import { fractionOption, integerOption } from "./options.js";
import { progressBar } from "./progress.js";
import {
  addSecondSetOptions,
  referenceAndSecondSet,
  secondSetFlags,
  sourceName,
} from "./second-set.js";

interface CollectFlags extends Omit<DatasetFlags, "dataset">, ExportFlags {
  embeddings?: string;
  dataset?: string;
  labels?: string;
  budget: number;
  k: number;
  percent: number;
  method: CoverageMethod;
  metric: DistanceMetric;
  forceUnitInterval: boolean;
  json: boolean;
  threads?: number;
}

/** The JSON `lacuna collect --json` prints (issue 17's pinned fields, then the recomputed coverage). */
export function collectJson(result: CollectResult): string {
  return JSON.stringify({
    selected: Array.from(result.selected),
    deficitBefore: result.deficitBefore,
    deficitAfter: result.deficitAfter,
    recomputed: {
      coverageRadius: result.recomputed.coverageRadius,
      resolved: result.recomputed.resolved,
      resolvedAtReferenceRadius: result.recomputed.resolvedAtReferenceRadius,
    },
  });
}

/**
 * `lacuna collect`: which pool samples, at most `--budget`, best close the reference's coverage
 * gaps (core's greedy deficit reduction, issue 17's definitions).
 */
export function registerCollectCommand(program: Command): void {
  const command = program
    .command("collect")
    .description(
      "choose up to --budget pool samples that best close the reference's coverage gaps (what to label next)",
    )
    .option("--embeddings <file>", "the reference: 2-D .npy embeddings, n x d")
    .option("--dataset <id>", "instead of --embeddings: the reference as a dataset, encoded")
    .option(
      "--labels <file>",
      "the reference's labels (.npy or JSON array); not needed for the choice",
    )
    .requiredOption("--budget <b>", "pool samples to choose at most", integerOption(0))
    .option("--k <k>", "neighbours (numObservations)", integerOption(1), 20)
    .option("--percent <p>", "adaptive: the reference's flagged share", fractionOption, 0.01)
    .addOption(
      new Option("--method <method>", "coverage radius")
        .choices(COVERAGE_METHODS)
        .default("adaptive"),
    )
    .addOption(
      new Option("--metric <metric>", "distance (cosine: adaptive only)")
        .choices(DISTANCE_METRICS)
        .default("euclidean"),
    )
    .option(
      "--force-unit-interval",
      "rescale the reference by its min and max (the pool gets the same transform)",
      false,
    )
    .option(
      "--json",
      "print {selected, deficitBefore, deficitAfter, recomputed: {coverageRadius, resolved, resolvedAtReferenceRadius}}",
      false,
    )
    .option("--threads <n>", "worker threads for encoding and the searches", integerOption(1));
  addSecondSetOptions(command, "pool", "the candidates");
  addExportOptions(command);
  addDatasetOptions(command).action(async (flags: CollectFlags) => {
    const poolSet = secondSetFlags(flags, "pool");
    const started = performance.now();
    const { reference: ref, second: pool } = await referenceAndSecondSet(flags, poolSet, "pool");
    const result = await collectInPool(ref.embeddings, pool.embeddings, flags);
    const seconds = (performance.now() - started) / 1000;
    await writeExport(
      flags,
      {
        source: sourceName(pool, poolSet.file),
        sourceIndices: pool.picked,
        classNames: pool.labels?.classNames,
      },
      (context) =>
        collectExportRecords(
          { selected: result.selected, gains: result.gains, labels: pool.labels?.labels },
          context,
        ),
    );
    if (flags.json) {
      process.stdout.write(`${collectJson(result)}\n`);
      return;
    }
    const names = pool.labels;
    const at = (row: number): number => (pool.picked ? pool.picked[row]! : row);
    const u = result.uncoveredIndices.length;
    const lines = [
      `Collect from ${pool.source}`,
      `  to cover ${ref.source}`,
      `  reference ${ref.embeddings.n}, pool ${pool.embeddings.n}, k ${flags.k}, method ${flags.method}` +
        (flags.method === "adaptive" ? `, percent ${flags.percent}` : "") +
        `, metric ${flags.metric}, budget ${flags.budget}`,
      `  coverage radius ${result.coverageRadius.toPrecision(6)}, ${u} reference samples flagged`,
      `  deficit ${result.deficitBefore} -> ${result.deficitAfter} with ${result.selected.length} picks`,
      `  recomputed on reference + picks: ${result.recomputed.resolved} of ${u} no longer flagged` +
        ` (${result.recomputed.resolvedAtReferenceRadius} within the old radius)`,
      `  computed in ${seconds.toFixed(2)} s`,
      "",
    ];
    if (result.selected.length === 0) {
      lines.push("No pool sample lies within the coverage radius of a flagged reference sample.");
    } else {
      lines.push(`${"pick".padStart(4)}  ${"index".padStart(6)}${names ? "  label " : ""}  gain`);
      const shown = Math.min(result.selected.length, 20);
      for (let t = 0; t < shown; t++) {
        const row = result.selected[t]!;
        const label = names
          ? `  ${escapeTerminal(names.classNames[names.labels[row]!] ?? "?").padEnd(6)}`
          : "";
        lines.push(
          `${String(t + 1).padStart(4)}  ${String(at(row)).padStart(6)}${label}  ${result.gains[t]}`,
        );
      }
      if (result.selected.length > shown) {
        lines.push(`… and ${result.selected.length - shown} more (--json lists all)`);
      }
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  });
}

/** What each collect step's progress line says. */
const STEP_LABELS: Readonly<Record<CollectStep, string>> = {
  reference: "reference neighbours",
  deficits: "deficits",
  covers: "pool within reach",
  recompute: "recomputed coverage",
};

/**
 * Core's collect with every search in the worker pool (poolCollect), a progress line per step on
 * a terminal.
 */
async function collectInPool(
  reference: Embeddings,
  candidates: Embeddings,
  flags: CollectFlags,
): Promise<CollectResult> {
  const bars = new Map(
    Object.entries(STEP_LABELS).map(([step, label]) => [step, progressBar(label, flags)]),
  );
  const pool = new KnnPool({ threads: flags.threads });
  try {
    return await poolCollect(pool, reference, candidates, flags.budget, {
      ...flags,
      onProgress: (step, done, total) => bars.get(step)?.(done, total),
    });
  } finally {
    await pool.close();
  }
}
