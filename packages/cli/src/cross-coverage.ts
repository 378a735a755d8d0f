import { escapeTerminal } from "./terminal.js";
import {
  type CoverageMethod,
  type DistanceMetric,
  type Embeddings,
  type CrossCoverageResult,
  type GapRegions,
  type NearestNeighbours,
  crossCoverageFromRadii,
  flaggedSampleRows,
  kthDistances,
  neighbourDeficits,
  neighbourRows,
  prepareCrossCoverage,
} from "@lacuna/core";
import { KnnPool, poolGapRegions } from "@lacuna/worker";
import { type Labels, flaggedExportRecords } from "@lacuna/io";
import type { SourceFlags } from "./dataset-embeddings.js";
import { type ExportFlags, writeExport } from "./export-option.js";
import { gapRegionsJson, gapRegionsTable } from "./gap-report.js";
import { GAP_TABLE_LIMIT, leastCovered, stepBars } from "./gap-step.js";
import { progressBar } from "./progress.js";
import { type SecondSetFlags, referenceAndSecondSet, sourceName } from "./second-set.js";

/** The flags `lacuna coverage` passes on when a query set is given. */
export interface CrossCoverageFlags extends SourceFlags, ExportFlags {
  k: number;
  percent: number;
  method: CoverageMethod;
  metric: DistanceMetric;
  forceUnitInterval: boolean;
  json: boolean;
  gaps: boolean;
  linkFactor: number;
  threads?: number;
}

/**
 * `lacuna coverage --embeddings REF.npy --query Q.npy` (or the dataset forms): does the reference
 * cover the query? Prints `{coverageRadius, criticalValueRadii, uncoveredIndices}` (the
 * reference's radius, one radius per query row, the query rows above it), with `--gaps` also
 * `gapRegions`; or a table with the uncovered query rows, their nearest reference row, the share
 * uncovered per class and the gap regions. The searches (the reference's radii, the query's k
 * nearest reference rows, the regions' links and medoids) run in the worker pool, with progress
 * lines on a terminal.
 */
export async function runCrossCoverage(
  flags: CrossCoverageFlags,
  query: SecondSetFlags,
): Promise<void> {
  const started = performance.now();
  const { reference: ref, second: q } = await referenceAndSecondSet(flags, query, "query");
  const space = prepareCrossCoverage(ref.embeddings, q.embeddings, flags);
  const queryLabels = q.labels?.labels;
  const k = flags.k;
  const pool = new KnnPool({ threads: flags.threads });
  let result: CrossCoverageResult;
  let neighbours: NearestNeighbours;
  let gaps: GapRegions | undefined;
  let leftOut = 0;
  try {
    // the searches in the pool, as the server runs them: core's crossCoverage to the bit
    const { radii } = await pool.computeRadii(space.reference, k, {
      onProgress: progressBar("reference neighbours", flags),
    });
    const nearest = await pool.crossNeighbours(space.reference, space.query, k, {
      onProgress: progressBar("query neighbours", flags),
    });
    result = crossCoverageFromRadii(space, radii, kthDistances(nearest));
    neighbours = neighbourRows(nearest, result.uncoveredIndices);
    if (!flags.json || flags.gaps || flags.export !== undefined) {
      // the table groups at most GAP_TABLE_LIMIT of them, as plain coverage's (gap-step.ts)
      const all = result.uncoveredIndices;
      const capped = !flags.json && flags.export === undefined && all.length > GAP_TABLE_LIMIT;
      const grouped = capped ? leastCovered(all, result.criticalValueRadii, GAP_TABLE_LIMIT) : all;
      leftOut = all.length - grouped.length;
      // a query row's k nearest reference rows give its deficit: no second search
      const deficits = neighbourDeficits(neighbourRows(nearest, grouped), result.coverageRadius);
      gaps = await poolGapRegions(pool, space.query, grouped, result.coverageRadius, deficits, {
        labels: queryLabels,
        linkFactor: flags.linkFactor,
        onProgress: stepBars(flags),
      });
    }
  } finally {
    await pool.close();
  }
  const unc = result.uncoveredIndices;
  const seconds = (performance.now() - started) / 1000;
  if (gaps) {
    await writeExport(
      flags,
      {
        source: sourceName(q, query.file),
        sourceIndices: q.picked,
        neighbourSourceIndices: ref.picked,
        classNames: q.labels?.classNames,
        coverageRadius: result.coverageRadius,
      },
      (context) =>
        flaggedExportRecords(
          flaggedSampleRows({
            flagged: unc,
            radii: result.criticalValueRadii,
            labels: queryLabels,
            regionOf: gaps.regionOf,
            neighbours,
          }),
          context,
        ),
    );
  }
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({
        coverageRadius: result.coverageRadius,
        uncoveredIndices: Array.from(unc),
        criticalValueRadii: Array.from(result.criticalValueRadii),
        ...(gaps && flags.gaps ? { gapRegions: gapRegionsJson(gaps) } : {}),
      })}\n`,
    );
    return;
  }
  process.stdout.write(
    `${crossCoverageTable({
      reference: ref.source,
      query: q.source,
      referenceSet: result.space.reference,
      querySet: result.space.query,
      flags,
      coverageRadius: result.coverageRadius,
      radii: result.criticalValueRadii,
      uncovered: unc,
      neighbours,
      labels: q.labels,
      queryIndices: q.picked,
      referenceIndices: ref.picked,
      seconds,
    })}\n\n${gapRegionsTable(gaps!, q.labels?.classNames, q.picked, leftOut)}\n`,
  );
}

interface CrossTableInput {
  readonly reference: string;
  readonly query: string;
  readonly referenceSet: Embeddings;
  readonly querySet: Embeddings;
  readonly flags: CrossCoverageFlags;
  readonly coverageRadius: number;
  readonly radii: Float64Array;
  readonly uncovered: Int32Array;
  readonly neighbours: NearestNeighbours;
  readonly labels?: Labels;
  readonly queryIndices?: Int32Array;
  readonly referenceIndices?: Int32Array;
  readonly seconds: number;
}

const TABLE_ROWS = 20;

/** The summary, the least-covered query rows with their nearest reference row, the share per class. */
function crossCoverageTable(t: CrossTableInput): string {
  const { flags, uncovered: unc } = t;
  const nq = t.querySet.n;
  const lines = [
    `Coverage of ${t.query}`,
    `  by ${t.reference}`,
    `  reference ${t.referenceSet.n}, query ${nq}, dimensions ${t.querySet.d}, k ${flags.k}, method ${flags.method}` +
      (flags.method === "adaptive" ? `, percent ${flags.percent}` : "") +
      `, metric ${flags.metric}`,
    `  coverage radius (the reference's) ${t.coverageRadius.toPrecision(6)}`,
    `  uncovered ${unc.length} of ${nq} query samples (${((100 * unc.length) / nq).toFixed(2)} %)`,
    `  computed in ${t.seconds.toFixed(2)} s`,
    "",
  ];
  if (unc.length === 0) {
    lines.push("Every query sample lies within the coverage radius of k reference samples.");
    return lines.join("\n");
  }
  const at = (indices: Int32Array | undefined, row: number): number =>
    indices ? indices[row]! : row;
  const named = t.labels;
  const name = (row: number): string =>
    named ? escapeTerminal(named.classNames[named.labels[row]!] ?? String(named.labels[row])) : "";
  lines.push(
    `${"rank".padStart(4)}  ${"index".padStart(6)}${named ? `  ${"label".padEnd(6)}` : ""}  ${"radius".padEnd(9)}  nearest reference (distance)`,
  );
  const k = t.neighbours.k;
  for (let r = 0; r < Math.min(unc.length, TABLE_ROWS); r++) {
    const row = unc[r]!;
    const nearest = at(t.referenceIndices, t.neighbours.indices[r * k]!);
    lines.push(
      `${String(r + 1).padStart(4)}  ${String(at(t.queryIndices, row)).padStart(6)}${named ? `  ${name(row).padEnd(6)}` : ""}  ${t.radii[row]!.toPrecision(6).padEnd(9)}  ${nearest} (${t.neighbours.distances[r * k]!.toPrecision(4)})`,
    );
  }
  if (unc.length > TABLE_ROWS)
    lines.push(`… and ${unc.length - TABLE_ROWS} more (--json lists all)`);
  if (named) lines.push("", perClassShare(named, unc));
  return lines.join("\n");
}

/** "uncovered by class: 0 3/980 (0.31 %), ...": the share of each query class left uncovered. */
function perClassShare(labels: Labels, uncovered: Int32Array): string {
  const total = new Map<number, number>();
  const flagged = new Map<number, number>();
  for (const l of labels.labels) total.set(l, (total.get(l) ?? 0) + 1);
  for (const row of uncovered) {
    const l = labels.labels[row]!;
    flagged.set(l, (flagged.get(l) ?? 0) + 1);
  }
  const parts = [...total.keys()]
    .sort((a, b) => a - b)
    .map((l) => {
      const u = flagged.get(l) ?? 0;
      const n = total.get(l)!;
      return `  ${escapeTerminal(labels.classNames[l] ?? String(l)).padEnd(6)} ${String(u).padStart(5)} of ${String(n).padStart(5)} (${((100 * u) / n).toFixed(2)} %)`;
    });
  return ["Uncovered share per class", ...parts].join("\n");
}
