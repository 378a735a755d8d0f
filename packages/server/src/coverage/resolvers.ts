import type {
  CoverageResultPerClassArgs,
  CoverageResultSampleArgs,
  CoverageResultSamplesArgs,
  CoverageResultUncoveredArgs,
  MutationDeleteCoverageResultArgs,
  MutationStartCoverageArgs,
  QueryCoverageArgs,
  QueryCoverageResultsArgs,
} from "../generated/graphql.js";
import { float32Base64, int32Base64 } from "../graphql/base64.js";
import { connectionArgs, toConnection } from "../graphql/connection.js";
import { InvalidArgumentError } from "../errors.js";
import { type LacunaContext, MAX_PAGE, page, requireKey } from "../graphql/context.js";
import { type SampleSource, labelNameOf, sampleImage, sampleOf } from "../datasets/resolvers.js";
import type { CoverageRecord } from "./store.js";

/** What a `CoverageResult` resolves from. */
export interface CoverageSource {
  readonly record: CoverageRecord;
  readonly cached: boolean;
}

export const coverageResolvers = {
  Query: {
    coverage: (_: unknown, args: QueryCoverageArgs, { services, signal }: LacunaContext) =>
      services.coverage.coverage(args.input, signal),
    coverageResults: async (
      _: unknown,
      args: QueryCoverageResultsArgs,
      { services }: LacunaContext,
    ) => {
      const { first, after } = connectionArgs(args);
      const records = await services.coverage.list(first + 1, after, args.datasetId ?? null);
      return toConnection(
        records.map((record): CoverageSource => ({ record, cached: true })),
        first,
        ({ record }) => ({ createdAt: record.createdAt, id: record.key }),
      );
    },
  },
  Mutation: {
    deleteCoverageResult: (
      _: unknown,
      args: MutationDeleteCoverageResultArgs,
      context: LacunaContext,
    ) => {
      requireKey(context);
      return context.services.coverage.delete(args.id);
    },
    startCoverage: (_: unknown, args: MutationStartCoverageArgs, context: LacunaContext) => {
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
    selection: ({ record }: CoverageSource) => {
      const { limit, classes, indices } = record.input.selection;
      return {
        limit: limit ?? null,
        classes: classes ?? null,
        indexCount: indices?.length ?? null,
      };
    },
    coverageRadius: ({ record }: CoverageSource) => record.coverageRadius,
    criticalValueRadii: ({ record }: CoverageSource) => record.radii,
    criticalValueRadiiBase64: ({ record }: CoverageSource) => float32Base64(record.radii),
    indices: ({ record }: CoverageSource) => record.indices,
    indicesBase64: ({ record }: CoverageSource) => int32Base64(record.indices),
    labels: ({ record }: CoverageSource) =>
      record.labels ? record.labels : new Array<null>(record.count).fill(null),
    count: ({ record }: CoverageSource) => record.count,
    dimensions: ({ record }: CoverageSource) => record.dimensions,
    uncoveredCount: ({ record }: CoverageSource) => record.uncovered.length,
    uncovered: async (
      { record }: CoverageSource,
      args: CoverageResultUncoveredArgs,
      { services }: LacunaContext,
    ) => {
      const { first, offset } = page(args);
      const positions = record.uncovered.subarray(offset, offset + first);
      if (positions.length === 0) return [];
      const dataset = await services.datasets.load(record.input.datasetId);
      return Array.from(positions, (row) =>
        sampleOf(dataset, record.indices[row]!, { record, row }),
      );
    },
    backend: ({ record }: CoverageSource) => record.backend,
    seconds: ({ record }: CoverageSource) => record.seconds,
    cached: ({ cached }: CoverageSource) => cached,
    createdAt: ({ record }: CoverageSource) => record.createdAt,
    perClass: async (
      { record }: CoverageSource,
      args: CoverageResultPerClassArgs,
      { services }: LacunaContext,
    ) => {
      const rows = await services.analysis.perClass(record, {
        minClassSamples: args.minClassSamples ?? 20,
        nearDuplicateFactor: args.nearDuplicateFactor ?? 0.5,
      });
      return (
        rows?.map((row) => ({
          ...row,
          className: record.classNames[row.class] ?? String(row.class),
        })) ?? null
      );
    },
    statistics: ({ record }: CoverageSource, _: unknown, { services }: LacunaContext) =>
      services.analysis.statistics(record),
    sample: async (
      { record }: CoverageSource,
      args: CoverageResultSampleArgs,
      { services }: LacunaContext,
    ) => {
      const row = await services.analysis.row(record, args.index);
      const dataset = await services.datasets.load(record.input.datasetId);
      return sampleOf(dataset, args.index, { record, row });
    },
    samples: async (
      { record }: CoverageSource,
      args: CoverageResultSamplesArgs,
      { services }: LacunaContext,
    ) => {
      if (args.indices.length > MAX_PAGE) {
        throw new InvalidArgumentError(
          "indices",
          `at most ${MAX_PAGE} indices`,
          `${args.indices.length} indices`,
        );
      }
      if (args.indices.length === 0) return [];
      // a page of a few dozen indices: one pass over the rows beats building a map of all of them
      const wanted = new Map<number, number>(args.indices.map((index) => [index, -1]));
      record.indices.forEach((index, row) => {
        if (wanted.has(index)) wanted.set(index, row);
      });
      const dataset = await services.datasets.load(record.input.datasetId);
      return args.indices.map((index) => {
        const row = wanted.get(index)!;
        if (row < 0) {
          throw new InvalidArgumentError(
            "indices",
            "dataset indices of samples in this result's selection",
            index,
          );
        }
        return sampleOf(dataset, index, { record, row });
      });
    },
  },
  Sample: {
    rank: async (sample: SampleSource, _: unknown, { services }: LacunaContext) =>
      sample.result
        ? (await services.analysis.explain(sample.result.record, sample.result.row)).rank
        : null,
    exceedsCoverageRadius: async (sample: SampleSource, _: unknown, { services }: LacunaContext) =>
      sample.result
        ? (await services.analysis.explain(sample.result.record, sample.result.row))
            .exceedsCoverageRadius
        : null,
    neighbours: async (sample: SampleSource, _: unknown, { services }: LacunaContext) => {
      if (!sample.result) return null;
      const { record } = sample.result;
      const explanation = await services.analysis.explain(record, sample.result.row);
      return Array.from(explanation.neighbours, (row, i) => {
        const source = sampleOf(sample.dataset, record.indices[row]!, { record, row });
        return { ...source, distance: explanation.distances[i]! };
      });
    },
  },
  Neighbour: {
    labelName: labelNameOf,
    image: sampleImage,
  },
};
