import type { CoverageMethod as CoreCoverageMethod } from "@lacuna/core";
import type { CoverageInput, CoverageMethod, SelectionInput } from "../generated/graphql.js";
import type { Selection } from "@lacuna/io";
import { InvalidArgumentError } from "../errors.js";

/** GraphQL's coverage methods ("ADAPTIVE", "NAIVE"), kept for clients. */
export type CoverageMethodName = CoverageMethod;

/** A coverage request as GraphQL receives it (generated from the SDL; optional fields may be null). */
export type { CoverageInput };

/** GraphQL's coverage method to core's, one table. */
export const CORE_COVERAGE_METHOD: Readonly<Record<CoverageMethod, CoreCoverageMethod>> = {
  ADAPTIVE: "adaptive",
  NAIVE: "naive",
};

/** A coverage request with every default filled in and every range checked. */
export interface NormalizedCoverageInput {
  readonly datasetId: string;
  readonly selection: Selection;
  readonly model: string | null;
  readonly method: CoverageMethodName;
  readonly numObservations: number;
  readonly percent: number;
  readonly forceUnitInterval: boolean;
}

/** Most indices one selection may list (MNIST's training set has 60 000 images). */
export const MAX_SELECTION_INDICES = 1_000_000;
/** Largest k accepted before the dataset is even looked at; n > k is checked later. */
export const MAX_NUM_OBSERVATIONS = 10_000;

/**
 * Fills in DataEval's defaults (ADAPTIVE, k = 20, 1 %) and checks every range, naming the argument.
 * @throws InvalidArgumentError
 */
export function normalizeCoverageInput(input: CoverageInput): NormalizedCoverageInput {
  const k = input.numObservations ?? 20;
  if (!Number.isInteger(k) || k < 1 || k > MAX_NUM_OBSERVATIONS) {
    throw new InvalidArgumentError(
      "input.numObservations",
      `an integer k with 1 <= k <= ${MAX_NUM_OBSERVATIONS} (and fewer than the selected samples)`,
      k,
    );
  }
  const percent = input.percent ?? 0.01;
  if (!Number.isFinite(percent) || percent <= 0 || percent > 1) {
    throw new InvalidArgumentError("input.percent", "a fraction with 0 < percent <= 1", percent);
  }
  return {
    datasetId: input.datasetId,
    selection: normalizeSelection(input.selection),
    model: input.model ?? null,
    method: input.method ?? "ADAPTIVE",
    numObservations: k,
    percent,
    forceUnitInterval: input.forceUnitInterval ?? false,
  };
}

/** @throws InvalidArgumentError */
export function normalizeSelection(selection: SelectionInput | null | undefined): Selection {
  if (!selection) return {};
  const out: { limit?: number; indices?: readonly number[]; classes?: readonly number[] } = {};
  if (selection.limit !== null && selection.limit !== undefined) {
    if (!Number.isInteger(selection.limit) || selection.limit < 1) {
      throw new InvalidArgumentError("selection.limit", "an integer >= 1", selection.limit);
    }
    out.limit = selection.limit;
  }
  if (selection.indices) {
    if (selection.indices.length > MAX_SELECTION_INDICES) {
      throw new InvalidArgumentError(
        "selection.indices",
        `at most ${MAX_SELECTION_INDICES} indices`,
        `${selection.indices.length} indices`,
      );
    }
    out.indices = selection.indices;
  }
  if (selection.classes) out.classes = [...new Set(selection.classes)].sort((a, b) => a - b);
  return out;
}
