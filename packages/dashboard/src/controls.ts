import {
  type CoverageInput,
  CoverageMethod,
  type CoverageSummary,
  type ProjectionOptions,
  ProjectionMethod,
} from "@lacuna/client";
import { needsSubsample } from "./subsample.js";

/** The form's fields, named as in the form (and in the URL). */
export type Field = "dataset" | "limit" | "k" | "percent" | "method" | "projection";

/** What the dashboard's controls hold; the defaults are the seed tutorial's scenario. */
export interface Controls {
  readonly datasetId: string;
  readonly limit: number;
  readonly k: number;
  /** The fraction of samples adaptive coverage flags, in (0, 1] (the form shows it in %). */
  readonly percent: number;
  readonly method: CoverageMethod;
  readonly projection: ProjectionMethod;
}

export const SEED_CONTROLS: Controls = {
  datasetId: "mnist:train",
  limit: 2000,
  k: 20,
  percent: 0.01,
  method: CoverageMethod.Adaptive,
  projection: ProjectionMethod.Tsne,
};

/** The schema's enum values, from the generated client (never copied by hand). */
export const COVERAGE_METHODS: readonly CoverageMethod[] = Object.values(CoverageMethod);
export const PROJECTION_METHODS: readonly ProjectionMethod[] = Object.values(ProjectionMethod);

/** Narrows a string to one of `values`, else undefined. */
export function oneOf<T extends string>(values: readonly T[], value: unknown): T | undefined {
  return values.find((v) => v === value);
}

/** The coverage request for a set of controls. */
export function coverageInput(controls: Controls): CoverageInput {
  return {
    datasetId: controls.datasetId,
    selection: { limit: controls.limit },
    numObservations: controls.k,
    percent: controls.percent,
    method: controls.method,
  };
}

/** The projection request for a set of controls (the same selection as the coverage). */
export function projectionOptions(controls: Controls): ProjectionOptions {
  return { selection: { limit: controls.limit }, method: controls.projection };
}

/** Whether two sets of controls ask for the same coverage (the projection aside). */
export function sameCoverage(a: Controls, b: Controls): boolean {
  return JSON.stringify(coverageInput(a)) === JSON.stringify(coverageInput(b));
}

/**
 * The controls that reopen a stored coverage result (its own request, answered from the store),
 * with the projection kept; null when the form cannot send that request: a selection by indices
 * or classes, one without a limit, or forceUnitInterval.
 */
export function controlsOfResult(
  result: Pick<
    CoverageSummary,
    "datasetId" | "selection" | "numObservations" | "percent" | "method" | "forceUnitInterval"
  >,
  projection: ProjectionMethod,
): Controls | null {
  const { limit, classes, indexCount } = result.selection;
  if (limit === null || classes !== null || indexCount !== null || result.forceUnitInterval)
    return null;
  return {
    datasetId: result.datasetId,
    limit,
    k: result.numObservations,
    percent: result.percent,
    method: result.method,
    projection,
  };
}

/**
 * Whether two sets of controls ask for the same projection: the same points by the same method; a
 * subsampled projection (t-SNE or UMAP of many points) keeps the coverage's flagged samples, so its
 * points depend on the coverage settings too.
 */
export function sameProjection(a: Controls, b: Controls): boolean {
  return (
    a.datasetId === b.datasetId &&
    a.limit === b.limit &&
    a.projection === b.projection &&
    (!needsSubsample(a.projection, a.limit) || sameCoverage(a, b))
  );
}

export interface Checked {
  /** The controls to run: `limit` clamped to the dataset's size. */
  readonly controls: Controls;
  /** Messages for fields whose value cannot run, by field. */
  readonly errors: Partial<Record<Field, string>>;
  /** Changes made to a field's value (a clamp), by field. */
  readonly notes: Partial<Record<Field, string>>;
}

/**
 * Checks the controls as the server will, before a request: `limit` is clamped to the dataset's
 * size (with a note), k must be an integer with 1 <= k < the selected samples, the fraction in
 * (0, 1] (percent is not used by naive coverage and not checked then).
 * @param size the dataset's number of samples, or undefined when unknown (no clamp)
 */
export function checkControls(controls: Controls, size: number | undefined): Checked {
  const errors: Partial<Record<Field, string>> = {};
  const notes: Partial<Record<Field, string>> = {};
  let limit = controls.limit;
  if (!Number.isInteger(limit) || limit < 2) {
    errors.limit = "first n must be a whole number of at least 2";
  } else if (size !== undefined && limit > size) {
    notes.limit = `the dataset has ${size} samples: first n is ${size}, not ${limit}`;
    limit = size;
  }
  const k = controls.k;
  if (!Number.isInteger(k) || k < 1) {
    errors.k = "k must be a whole number of at least 1";
  } else if (!errors.limit && k >= limit) {
    errors.k = `k must be less than the ${limit} samples selected (at most ${limit - 1})`;
  }
  const p = controls.percent;
  if (controls.method === CoverageMethod.Adaptive && !(p > 0 && p <= 1)) {
    errors.percent = "the fraction flagged must be above 0 % and at most 100 %";
  }
  return { controls: { ...controls, limit }, errors, notes };
}

/** Each field's name as the form's label says it (what an error on the field calls it). */
export const FIELD_NAME: Readonly<Record<Field, string>> = {
  dataset: "dataset",
  limit: "first n",
  k: "k",
  percent: "fraction flagged",
  method: "method",
  projection: "projection",
};

/** A server error placed on a form field: the field and the message in the form's words. */
export interface FieldError {
  readonly field: Field;
  readonly message: string;
}

/**
 * The form field a server error is about, and its message as the form says it: the error's
 * `argument` (`input.numObservations` is the field k), else the argument its message starts with
 * (a job's error carries only the message); the argument's path in the message becomes the field's
 * name ("input.numObservations must be ..." reads "k must be ..."). Undefined when the error is
 * about no field of the form.
 */
export function fieldError(argument: string | undefined, message: string): FieldError | undefined {
  const name = argument ?? /^([\w.]+) must /.exec(message)?.[1];
  if (!name) return undefined;
  const bare = name.replace(/^input\./, "");
  const field = fieldOfArgument(bare);
  if (!field) return undefined;
  // the path with or without "input.", and any deeper part (input.selection.limit under selection)
  const path = new RegExp(`\\b(?:input\\.)?${bare.replace(/\./g, "\\.")}(?:\\.\\w+)*`, "g");
  return { field, message: message.replace(path, FIELD_NAME[field]) };
}

/** The form field an argument path (without "input.") sets, if any. */
function fieldOfArgument(argument: string): Field | undefined {
  if (argument === "numObservations") return "k";
  if (argument === "percent") return "percent";
  if (argument.startsWith("selection")) return "limit";
  if (argument === "datasetId") return "dataset";
  if (argument === "method") return "method";
  return undefined;
}

/** The fraction as the form shows it: a percentage without float noise (0.07 -> "7"). */
export function percentText(fraction: number): string {
  return String(Number((fraction * 100).toPrecision(10)));
}

/** Reads the percentage typed in the form back as a fraction (NaN when it is not a number). */
export function fractionOfPercent(text: string): number {
  const t = text.trim();
  return t === "" ? Number.NaN : Number((Number(t) / 100).toPrecision(12));
}
