import { NotFoundError, flaggedSampleRows } from "@lacuna/core";
import {
  type ExportContext,
  type ExportRecord,
  collectExportRecords,
  exportFormatOf,
  flaggedExportRecords,
} from "@lacuna/io";
import { InvalidArgumentError } from "../errors.js";
import type { Services } from "../graphql/context.js";
import { normalizeLinkFactor } from "./input.js";

/** What can be exported: a plain coverage's flagged samples, a cross coverage's, a collect list. */
export const EXPORT_KINDS = ["coverage", "cross", "collect"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportRequest {
  readonly kind: string;
  readonly id: string;
  /** Only this gap region's members (coverage and cross). */
  readonly region?: number;
  readonly imageTemplate?: string;
  /** The gap regions' link factor for a plain coverage (a cross coverage keeps its own). */
  readonly linkFactor?: number;
}

function keepRegion<T extends { readonly region: number | null }>(rows: T[], region?: number): T[] {
  return region === undefined ? rows : rows.filter((r) => r.region === region);
}

/**
 * The export records of a finished result, by kind and id. Reads stored results only: it never
 * computes and never opens a path a client names.
 * @throws InvalidArgumentError for an unknown kind or region; NotFoundError for an unknown id
 */
export async function exportRecords(
  services: Services,
  request: ExportRequest,
): Promise<ExportRecord[]> {
  const { kind, id, region } = request;
  if (!(EXPORT_KINDS as readonly string[]).includes(kind)) {
    throw new InvalidArgumentError("kind", EXPORT_KINDS.join(", "), kind);
  }
  if (region !== undefined && !(Number.isInteger(region) && region >= 0)) {
    throw new InvalidArgumentError("region", "an integer >= 0", region);
  }
  const base = { imageTemplate: request.imageTemplate };
  if (kind === "coverage") {
    const record = await services.coverage.find(id);
    if (!record) throw new NotFoundError("coverage result", id);
    const gaps = await services.analysis.gapRegions(
      record,
      normalizeLinkFactor(request.linkFactor, "linkFactor"),
    );
    const context: ExportContext = {
      ...base,
      source: record.input.datasetId,
      sourceIndices: record.indices,
      classNames: record.classNames,
      coverageRadius: record.coverageRadius,
    };
    const rows = flaggedSampleRows({
      flagged: record.uncovered,
      radii: record.radii,
      labels: record.labels ?? undefined,
      regionOf: gaps.regionOf,
    });
    return flaggedExportRecords(keepRegion(rows, region), context);
  }
  if (kind === "cross") {
    const record = await services.cross.find(id);
    if (!record) throw new NotFoundError("cross coverage result", id);
    const query = await services.datasets.load(record.input.other.datasetId);
    const rows = flaggedSampleRows({
      flagged: Int32Array.from(record.uncovered),
      radii: Float64Array.from(record.radii),
      labels: record.queryLabels ?? undefined,
      regionOf: Int32Array.from(record.regionOf),
      neighbours: {
        n: record.uncovered.length,
        k: record.k,
        indices: Int32Array.from(record.neighbours),
        distances: Float64Array.from(record.neighbourDistances),
      },
    });
    return flaggedExportRecords(keepRegion(rows, region), {
      ...base,
      source: record.input.other.datasetId,
      sourceIndices: record.queryIndices,
      neighbourSourceIndices: record.referenceIndices,
      classNames: query.classNames,
      coverageRadius: record.coverageRadius,
    });
  }
  const record = await services.collect.find(id);
  if (!record) throw new NotFoundError("collect result", id);
  const pool = await services.datasets.load(record.input.other.datasetId);
  return collectExportRecords(
    { selected: record.selected, gains: record.gains, labels: record.poolLabels ?? undefined },
    {
      ...base,
      source: record.input.other.datasetId,
      sourceIndices: record.poolIndices,
      classNames: pool.classNames,
    },
  );
}

/** The format a download asks for (`csv`, `jsonl`, `label-studio`). @throws InvalidArgumentError */
export function downloadFormat(format: unknown) {
  if (typeof format !== "string") {
    throw new InvalidArgumentError("format", "csv, jsonl or label-studio", format);
  }
  try {
    return exportFormatOf("", format);
  } catch {
    throw new InvalidArgumentError("format", "csv, jsonl or label-studio", format);
  }
}
