/**
 * Export lines for flagged samples, gap regions and collect lists, and their three formats (CSV,
 * JSON Lines, a Label Studio import file). Pure: strings in, strings out; the file layer is
 * export-file.ts. The rows themselves come from core (`flaggedSampleRows`); this module adds
 * where each row came from (a file or a dataset index), its class name, an image address and the
 * reason it is listed.
 */
import { stringify } from "csv-stringify/sync";
import { type FlaggedSampleRow, InvalidParameterError } from "@lacuna/core";

export type ExportFormat = "csv" | "jsonl" | "label-studio";
export const EXPORT_FORMATS: readonly ExportFormat[] = ["csv", "jsonl", "label-studio"];

/** One exported line: a flagged sample, or a pick of a collect list. */
export interface ExportRecord {
  /** Row in its set (the measured set, or the pool for a collect list). */
  readonly index: number;
  /** The `.npy` file or the dataset id the row came from. */
  readonly source: string;
  /** The row's index in that source: its dataset index for a dataset's selection, else `index`. */
  readonly sourceIndex: number;
  readonly label: number | null;
  readonly labelName: string | null;
  /** Its critical value radius; null for a collect pick (a pool sample has none). */
  readonly radius: number | null;
  /** Flagged: 1 = largest radius; collect: the pick order, from 1. */
  readonly rank: number;
  readonly region: number | null;
  /** Source indices of its nearest neighbours (reference rows for a cross coverage), nearest first. */
  readonly neighbours: readonly number[];
  readonly neighbourDistances: readonly number[];
  /** Where a labelling tool finds the image; null when no template was given. */
  readonly image: string | null;
  /** Why it is listed, for a person. */
  readonly why: string;
}

/** Where the rows came from and how to name them. */
export interface ExportContext {
  /** The `.npy` file or the dataset id. */
  readonly source: string;
  /** Dataset index of each row of the set (a selection); without it, the row is its own index. */
  readonly sourceIndices?: ArrayLike<number>;
  readonly classNames?: readonly string[];
  /** Dataset index of each row of the neighbours' set (the reference of a cross coverage). */
  readonly neighbourSourceIndices?: ArrayLike<number>;
  /**
   * Image address template: `{source}` (URL-encoded), `{index}` (the source index) and `{row}`
   * are replaced, e.g. `http://localhost:4000/images/{source}/{index}.png` or
   * `/data/local-files/?d=mnist/{index}.png`.
   */
  readonly imageTemplate?: string;
  /** The coverage radius the flagged rows exceed (for the why). */
  readonly coverageRadius?: number;
}

/** CSV columns, in order; neighbour lists are space-separated. */
export const CSV_COLUMNS = [
  "index",
  "source",
  "source_index",
  "label",
  "label_name",
  "radius",
  "rank",
  "region",
  "neighbours",
  "neighbour_distances",
  "image",
  "why",
] as const;

function sourceIndex(indices: ArrayLike<number> | undefined, row: number, what: string): number {
  if (indices === undefined) return row;
  const v = indices[row];
  if (v === undefined) {
    throw new InvalidParameterError(what, row, `a row below ${indices.length}`);
  }
  return v;
}

function imageOf(context: ExportContext, row: number, index: number): string | null {
  if (context.imageTemplate === undefined) return null;
  return context.imageTemplate
    .replaceAll("{source}", encodeURIComponent(context.source))
    .replaceAll("{index}", String(index))
    .replaceAll("{row}", String(row));
}

function labelNameOf(context: ExportContext, label: number | null): string | null {
  if (label === null) return null;
  return context.classNames?.[label] ?? String(label);
}

/**
 * Export records for core's flagged rows (uncovered samples, or a gap region's members).
 * @throws InvalidParameterError when a row or neighbour lies outside the given source indices
 */
export function flaggedExportRecords(
  rows: readonly FlaggedSampleRow[],
  context: ExportContext,
): ExportRecord[] {
  return rows.map((row) => {
    const index = sourceIndex(context.sourceIndices, row.index, "row");
    const bar =
      context.coverageRadius === undefined
        ? ""
        : ` > coverage radius ${context.coverageRadius.toPrecision(6)}`;
    const region = row.region === null ? "" : `; gap region ${row.region}`;
    return {
      index: row.index,
      source: context.source,
      sourceIndex: index,
      label: row.label,
      labelName: labelNameOf(context, row.label),
      radius: row.radius,
      rank: row.rank,
      region: row.region,
      neighbours: row.neighbours.map((j) =>
        sourceIndex(context.neighbourSourceIndices, j, "neighbour"),
      ),
      neighbourDistances: row.neighbourDistances,
      image: imageOf(context, row.index, index),
      why: `radius ${row.radius.toPrecision(6)}${bar} (rank ${row.rank})${region}`,
    };
  });
}

/** A collect list: the pool rows in pick order, each with its deficit reduction. */
export interface CollectPicks {
  readonly selected: ArrayLike<number>;
  /** gains[t]: how much pick t reduced the reference's total deficit. */
  readonly gains: ArrayLike<number>;
  /** One label per pool row, if known. */
  readonly labels?: ArrayLike<number>;
}

/**
 * Export records for a collect list, in pick order (rank = pick number from 1, no radius).
 * @throws InvalidParameterError for gains of another length than the picks
 */
export function collectExportRecords(picks: CollectPicks, context: ExportContext): ExportRecord[] {
  if (picks.gains.length !== picks.selected.length) {
    throw new InvalidParameterError("gains.length", picks.gains.length, `${picks.selected.length}`);
  }
  const out: ExportRecord[] = [];
  for (let t = 0; t < picks.selected.length; t++) {
    const row = picks.selected[t]!;
    const index = sourceIndex(context.sourceIndices, row, "pool row");
    const label = picks.labels?.[row] ?? null;
    out.push({
      index: row,
      source: context.source,
      sourceIndex: index,
      label,
      labelName: labelNameOf(context, label),
      radius: null,
      rank: t + 1,
      region: null,
      neighbours: [],
      neighbourDistances: [],
      image: imageOf(context, row, index),
      why: `pick ${t + 1}: reduces the reference's coverage deficit by ${picks.gains[t]!}`,
    });
  }
  return out;
}

/**
 * RFC 4180 CSV with a header line (csv-stringify: fields holding commas, quotes or line breaks
 * are quoted, quotes doubled); empty fields for nulls; neighbour lists space-separated.
 */
export function formatCsv(records: readonly ExportRecord[]): string {
  return stringify(
    records.map((r) => [
      r.index,
      r.source,
      r.sourceIndex,
      r.label ?? "",
      r.labelName ?? "",
      r.radius ?? "",
      r.rank,
      r.region ?? "",
      r.neighbours.join(" "),
      r.neighbourDistances.join(" "),
      r.image ?? "",
      r.why,
    ]),
    { header: true, columns: [...CSV_COLUMNS], record_delimiter: "unix" },
  );
}

/** JSON Lines: one JSON object per record (the ExportRecord fields), each line ending in "\n". */
export function formatJsonLines(records: readonly ExportRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

/** One task of a Label Studio import file. */
export interface LabelStudioTask {
  /** `image` is what a labelling config's `$image` reads; the other keys show as Data Manager columns. */
  readonly data: {
    readonly image: string | null;
    readonly source: string;
    readonly index: number;
    readonly label: string | null;
    readonly radius: number | null;
    readonly rank: number;
    readonly region: number | null;
    readonly why: string;
  };
  /** The whole record, kept with the task (Label Studio stores `meta` as given). */
  readonly meta: { readonly lacuna: ExportRecord };
}

/**
 * A Label Studio import file: a JSON array of tasks (Label Studio's basic import format: each
 * task's `data` holds the image address and the fields to show; `meta` the rest).
 */
export function formatLabelStudio(records: readonly ExportRecord[]): string {
  const tasks: LabelStudioTask[] = records.map((r) => ({
    data: {
      image: r.image,
      source: r.source,
      index: r.sourceIndex,
      label: r.labelName,
      radius: r.radius,
      rank: r.rank,
      region: r.region,
      why: r.why,
    },
    meta: { lacuna: r },
  }));
  return `${JSON.stringify(tasks, null, 2)}\n`;
}

/** The records in one of the three formats. */
export function formatExport(records: readonly ExportRecord[], format: ExportFormat): string {
  switch (format) {
    case "csv":
      return formatCsv(records);
    case "jsonl":
      return formatJsonLines(records);
    case "label-studio":
      return formatLabelStudio(records);
  }
}

/** The media type of each format, for HTTP downloads. */
export const EXPORT_CONTENT_TYPE: Readonly<Record<ExportFormat, string>> = {
  csv: "text/csv; charset=utf-8",
  jsonl: "application/jsonl; charset=utf-8",
  "label-studio": "application/json; charset=utf-8",
};

/**
 * The format a file name asks for: `explicit` when given, else its extension (`.csv`; `.jsonl`
 * or `.ndjson`; `.json` is a Label Studio import file).
 * @throws InvalidParameterError for an unknown explicit format, or no explicit one and an
 *   extension that names none
 */
export function exportFormatOf(file: string, explicit?: string): ExportFormat {
  if (explicit !== undefined) {
    if ((EXPORT_FORMATS as readonly string[]).includes(explicit)) return explicit as ExportFormat;
    throw new InvalidParameterError("--export-format", explicit, EXPORT_FORMATS.join(", "));
  }
  const lower = file.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  if (lower.endsWith(".json")) return "label-studio";
  throw new InvalidParameterError(
    "--export",
    file,
    "a file ending in .csv, .jsonl (.ndjson) or .json (Label Studio), or --export-format csv|jsonl|label-studio",
  );
}
