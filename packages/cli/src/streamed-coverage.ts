/**
 * `lacuna coverage --embeddings FILE.npy` for an array larger than the memory budget (`--memory`,
 * LACUNA_MEMORY): the radii are computed by the worker's streamedRadii from io's row reader, and
 * the plain coverage (radii, flagged samples, the table with labels) is reported. What needs every
 * row in memory at once is refused, naming the option to raise.
 */
import { totalmem } from "node:os";
import { InvalidArgumentError } from "commander";
import {
  type CoverageMethod,
  coverageFromRadii,
  type DistanceMetric,
  InvalidParameterError,
  LacunaError,
  OutOfUnitIntervalError,
  validateK,
  valueRange,
} from "@lacuna/core";
import { type NpyRows, openNpyRows, readLabels } from "@lacuna/io";
import { planStreamedBlocks, resolveThreadCount, streamedRadii } from "@lacuna/worker";
import { progressBar } from "./progress.js";
import { escapeTerminal } from "./terminal.js";
import { coverageJson, coverageTable } from "./report.js";

/** What the streamed run reads of `lacuna coverage`'s flags. */
export interface StreamedCoverageFlags {
  embeddings?: string;
  memory?: number;
  k: number;
  percent: number;
  method: CoverageMethod;
  metric: DistanceMetric;
  forceUnitInterval: boolean;
  json: boolean;
  threads?: number;
  labels?: string;
  gaps: boolean;
  perClass: boolean;
  scatter?: string;
  export?: string;
  redis?: string;
  blobStore?: string;
  backend: string;
}

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Bytes of a size written `512MB`, `2GiB`, `1.5 GB` or `1000000`: SI units (kB = 1000) and IEC
 * units (KiB = 1024) as written, case-insensitive. Hand-written, not the `bytes` package: that one
 * reads `MB` as 2^20, where a person writing MB and MiB means two sizes.
 * @returns a whole number of bytes >= 1, or null for anything else
 */
export function parseSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (match === null) return null;
  const unit = UNITS[match[2]!.toLowerCase()];
  if (unit === undefined) return null;
  const bytes = Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes >= 1 ? bytes : null;
}

/** commander's parser for `--memory <size>`. */
export function sizeOption(value: string): number {
  const bytes = parseSize(value);
  if (bytes === null)
    throw new InvalidArgumentError("must be a size such as 512MB, 2GiB or a number of bytes.");
  return bytes;
}

/**
 * The memory budget: `--memory`, else LACUNA_MEMORY, else half of the machine's memory.
 * @throws InvalidParameterError for a LACUNA_MEMORY that is not a size
 */
export function memoryBudget(
  flag: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (flag !== undefined) return flag;
  const text = env.LACUNA_MEMORY;
  if (text === undefined || text.trim() === "") return Math.floor(totalmem() / 2);
  const bytes = parseSize(text);
  if (bytes === null)
    throw new InvalidParameterError("LACUNA_MEMORY", text, "a size such as 512MB or 2GiB");
  return bytes;
}

/** A feature that needs every row in memory, asked of a file that streams. */
export class NeedsWholeArrayError extends LacunaError {
  constructor(feature: string, bytes: number, budget: number) {
    super(
      "input",
      "NEEDS_WHOLE_ARRAY",
      `${feature} needs every row in memory, and the array (${bytes} bytes) is over the memory budget (${budget} bytes), so it would stream: raise --memory (or LACUNA_MEMORY) above ${bytes}, or leave ${feature} out`,
    );
  }
}

/**
 * The rows of `--embeddings` when they must stream (the decoded array over the budget), else null
 * (closed: the in-memory path reads the file itself).
 */
export async function rowsToStream(
  path: string | undefined,
  budget: number,
): Promise<NpyRows | null> {
  if (path === undefined) return null;
  const rows = await openNpyRows(path);
  if (rows.decodedBytes > budget) return rows;
  await rows.close();
  return null;
}

/**
 * Refuses what streaming cannot do, before any work: the features that need every row (gap
 * regions, the export with its neighbours, per-class statistics, pictures, a query set, cosine
 * rows, rescaling into [0, 1]), the cluster (its blobs are whole arrays) and the GPU backend.
 * @throws NeedsWholeArrayError naming the feature and the budget to raise
 */
export function checkStreamable(
  flags: StreamedCoverageFlags,
  rows: NpyRows,
  budget: number,
  query: boolean,
): void {
  const refuse = (feature: string) => {
    throw new NeedsWholeArrayError(feature, rows.decodedBytes, budget);
  };
  if (query) refuse("--query");
  if (flags.gaps) refuse("--gaps");
  if (flags.export !== undefined) refuse("--export");
  if (flags.perClass) refuse("--per-class");
  if (flags.scatter !== undefined) refuse("--scatter");
  if (flags.metric === "cosine") refuse("--metric cosine");
  if (flags.redis !== undefined || flags.blobStore !== undefined) refuse("--redis");
  if (flags.backend === "gpujs") refuse("--backend gpujs");
}

/**
 * Coverage of rows that stream: the [0, 1] check in one pass (core's valueRange a block at a
 * time), the radii by streamedRadii (a progress bar per block pair), then the report: JSON, or
 * the table (without gap regions, which need every row).
 */
export async function runStreamedCoverage(
  flags: StreamedCoverageFlags,
  rows: NpyRows,
  budget: number,
  query: boolean,
): Promise<void> {
  const started = performance.now();
  try {
    checkStreamable(flags, rows, budget, query);
    const { n, d } = rows;
    validateK(flags.k, n);
    const labels = flags.labels ? await readLabels(flags.labels, n) : undefined;
    const threads = resolveThreadCount(flags.threads);
    const plan = planStreamedBlocks(n, d, flags.k, rows.dtype === "float32" ? 4 : 8, {
      memoryBytes: budget,
    });
    await checkUnitInterval(rows, flags.forceUnitInterval, budget);
    process.stderr.write(
      `lacuna: streaming ${escapeTerminal(rows.path)} by row blocks: its ${n} x ${d} array takes ${rows.decodedBytes} bytes, over the memory budget of ${budget} (--memory, LACUNA_MEMORY); held blocks of ${plan.blockRows} rows, and ${plan.rowStateBytes} bytes of per-row lists besides\n`,
    );
    const result = await streamedRadii(rows, flags.k, {
      memoryBytes: budget,
      threads,
      onProgress: progressBar("neighbours", flags),
    });
    const coverage = coverageFromRadii(result.radii, { ...flags, d });
    if (flags.json) {
      process.stdout.write(`${coverageJson(coverage)}\n`);
      return;
    }
    process.stdout.write(
      `${coverageTable({
        source: rows.path,
        n,
        d,
        k: flags.k,
        percent: flags.percent,
        method: flags.method,
        result: coverage,
        seconds: (performance.now() - started) / 1000,
        labels,
      })}\n\nGap regions: not computed (the rows streamed; they need every row in memory: raise --memory)\n`,
    );
  } finally {
    await rows.close();
  }
}

/**
 * DataEval's [0, 1] requirement over every row, one block at a time.
 * @throws OutOfUnitIntervalError; NeedsWholeArrayError where --force-unit-interval would rescale
 */
async function checkUnitInterval(rows: NpyRows, force: boolean, budget: number): Promise<void> {
  const step = Math.max(1, Math.floor(2 ** 24 / (rows.d * 8)));
  let min = Infinity;
  let max = -Infinity;
  for (let a = 0; a < rows.n; a += step) {
    const range = valueRange(await rows.read(a, Math.min(rows.n, a + step)));
    min = Math.min(min, range.min);
    max = Math.max(max, range.max);
  }
  if (min >= 0 && max <= 1) return;
  if (!force) throw new OutOfUnitIntervalError(min, max);
  throw new NeedsWholeArrayError("--force-unit-interval (rescaling)", rows.decodedBytes, budget);
}
