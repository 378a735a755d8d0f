import { type DistanceMetric as CoreMetric, validateMetric } from "@lacuna/core";
import type { Selection } from "@lacuna/io";
import type {
  CollectInput,
  CrossCoverageInput,
  DistanceMetric,
  SetInput,
} from "../generated/graphql.js";
import { InvalidArgumentError } from "../errors.js";
import {
  CORE_COVERAGE_METHOD,
  type NormalizedCoverageInput,
  normalizeCoverageInput,
  normalizeSelection,
} from "../coverage/input.js";

/** GraphQL's metric to core's, one table. */
export const CORE_METRIC: Readonly<Record<DistanceMetric, CoreMetric>> = {
  EUCLIDEAN: "euclidean",
  COSINE: "cosine",
};

/** A second set (query or pool) with its selection checked. */
export interface NormalizedSet {
  readonly datasetId: string;
  readonly selection: Selection;
  readonly model: string | null;
}

/** A cross coverage or collect request: the reference as a coverage input, the other set, the metric. */
export interface NormalizedPairInput {
  readonly reference: NormalizedCoverageInput;
  readonly other: NormalizedSet;
  readonly metric: DistanceMetric;
}

/**
 * Fills in the defaults of a cross coverage (or collect) request and checks every range, naming
 * the argument; naive with cosine is refused here, before any work.
 * @throws InvalidArgumentError; core's InvalidParameterError for naive + cosine
 */
export function normalizePair(
  input: CrossCoverageInput | CollectInput,
  reference: SetInput,
  other: SetInput,
): NormalizedPairInput {
  const ref = normalizeCoverageInput({ ...input, ...reference });
  const metric = input.metric ?? "EUCLIDEAN";
  validateMetric(CORE_METRIC[metric], CORE_COVERAGE_METHOD[ref.method]);
  return {
    reference: ref,
    other: {
      datasetId: other.datasetId,
      selection: normalizeSelection(other.selection),
      model: ref.model,
    },
    metric,
  };
}

/** Checks a gap-region link factor (a multiple of the coverage radius). @throws InvalidArgumentError */
export function normalizeLinkFactor(value: number | null | undefined, argument: string): number {
  const factor = value ?? 2;
  if (!Number.isFinite(factor) || factor <= 0 || factor > 100) {
    throw new InvalidArgumentError(argument, "a number in (0, 100]", factor);
  }
  return factor;
}

/** Largest collect budget (the pool's size bounds it anyway). */
export const MAX_BUDGET = 100_000;

/** @throws InvalidArgumentError */
export function normalizeBudget(budget: number): number {
  if (!Number.isInteger(budget) || budget < 0 || budget > MAX_BUDGET) {
    throw new InvalidArgumentError("input.budget", `an integer from 0 to ${MAX_BUDGET}`, budget);
  }
  return budget;
}
