import type { CollectResultPicksArgs, QueryCollectArgs } from "../generated/graphql.js";
import { type LacunaContext, page } from "../graphql/context.js";
import { sampleOf } from "../datasets/resolvers.js";
import type { CollectRecord } from "./service.js";

export interface CollectSource {
  readonly record: CollectRecord;
  readonly cached: boolean;
}

export const collectResolvers = {
  Query: {
    collect: (_: unknown, args: QueryCollectArgs, { services }: LacunaContext) =>
      services.collect.collect(args.input),
  },
  CollectResult: {
    id: ({ record }: CollectSource) => record.key,
    referenceDatasetId: ({ record }: CollectSource) => record.input.reference.datasetId,
    poolDatasetId: ({ record }: CollectSource) => record.input.other.datasetId,
    budget: ({ record }: CollectSource) => record.budget,
    metric: ({ record }: CollectSource) => record.input.metric,
    selected: ({ record }: CollectSource) => record.selected,
    selectedIndices: ({ record }: CollectSource) =>
      record.selected.map((row) => record.poolIndices[row]!),
    gains: ({ record }: CollectSource) => record.gains,
    deficitBefore: ({ record }: CollectSource) => record.deficitBefore,
    deficitAfter: ({ record }: CollectSource) => record.deficitAfter,
    coverageRadius: ({ record }: CollectSource) => record.coverageRadius,
    flaggedCount: ({ record }: CollectSource) => record.flaggedCount,
    recomputed: ({ record }: CollectSource) => record.recomputed,
    picks: async (
      { record }: CollectSource,
      args: CollectResultPicksArgs,
      { services }: LacunaContext,
    ) => {
      const { first, offset } = page(args);
      const rows = record.selected.slice(offset, offset + first);
      if (rows.length === 0) return [];
      const pool = await services.datasets.load(record.input.other.datasetId);
      return rows.map((row, i) => ({
        pick: offset + i + 1,
        sample: sampleOf(pool, record.poolIndices[row]!),
        gain: record.gains[offset + i]!,
      }));
    },
    seconds: ({ record }: CollectSource) => record.seconds,
    cached: ({ cached }: CollectSource) => cached,
    createdAt: ({ record }: CollectSource) => record.createdAt,
  },
};
