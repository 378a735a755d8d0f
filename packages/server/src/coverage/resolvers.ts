import { type LacunaContext, page, requireKey } from "../graphql/context.js";
import { sampleOf } from "../datasets/resolvers.js";
import type { CoverageInput } from "./input.js";
import type { CoverageRecord } from "./store.js";

/** What a `CoverageResult` resolves from. */
export interface CoverageSource {
  readonly record: CoverageRecord;
  readonly cached: boolean;
}

export const coverageResolvers = {
  Query: {
    coverage: (_: unknown, args: { input: CoverageInput }, { services }: LacunaContext) =>
      services.coverage.coverage(args.input),
  },
  Mutation: {
    startCoverage: (_: unknown, args: { input: CoverageInput }, context: LacunaContext) => {
      requireKey(context);
      return context.services.coverage.start(args.input);
    },
  },
  CoverageResult: {
    id: ({ record }: CoverageSource) => record.key,
    datasetId: ({ record }: CoverageSource) => record.input.datasetId,
    method: ({ record }: CoverageSource) => record.input.method,
    numObservations: ({ record }: CoverageSource) => record.input.numObservations,
    percent: ({ record }: CoverageSource) => record.input.percent,
    forceUnitInterval: ({ record }: CoverageSource) => record.input.forceUnitInterval,
    model: ({ record }: CoverageSource) => record.model,
    coverageRadius: ({ record }: CoverageSource) => record.coverageRadius,
    criticalValueRadii: ({ record }: CoverageSource) => record.radii,
    indices: ({ record }: CoverageSource) => record.indices,
    count: ({ record }: CoverageSource) => record.count,
    dimensions: ({ record }: CoverageSource) => record.dimensions,
    uncoveredCount: ({ record }: CoverageSource) => record.uncovered.length,
    uncovered: async (
      { record }: CoverageSource,
      args: { first?: number | null; offset?: number | null },
      { services }: LacunaContext,
    ) => {
      const { first, offset } = page(args);
      const positions = record.uncovered.subarray(offset, offset + first);
      if (positions.length === 0) return [];
      const dataset = await services.datasets.load(record.input.datasetId);
      return Array.from(positions, (row) =>
        sampleOf(dataset, record.indices[row]!, record.radii[row]!),
      );
    },
    backend: ({ record }: CoverageSource) => record.backend,
    seconds: ({ record }: CoverageSource) => record.seconds,
    cached: ({ cached }: CoverageSource) => cached,
    createdAt: ({ record }: CoverageSource) => record.createdAt,
  },
};
