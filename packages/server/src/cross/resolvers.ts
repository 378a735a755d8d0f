import type {
  CoverageResultGapRegionsArgs,
  CrossCoverageResultUncoveredArgs,
  QueryCrossCoverageArgs,
  UncoveredSampleNearestArgs,
} from "../generated/graphql.js";
import { type LacunaContext, MAX_PAGE, page } from "../graphql/context.js";
import { sampleOf } from "../datasets/resolvers.js";
import type { LoadedDataset } from "../datasets/service.js";
import type { CoverageSource } from "../coverage/resolvers.js";
import { InvalidArgumentError } from "../errors.js";
import { normalizeLinkFactor } from "./input.js";
import { type CrossRecord, type StoredRegion, storedRegions } from "./service.js";

export interface CrossSource {
  readonly record: CrossRecord;
  readonly cached: boolean;
}

/** A gap region with the dataset its rows index and each row's dataset index. */
export interface RegionSource {
  readonly region: StoredRegion;
  readonly dataset: LoadedDataset;
  readonly indices: ArrayLike<number>;
}

export interface UncoveredSource {
  readonly record: CrossRecord;
  /** Position in record.uncovered. */
  readonly t: number;
  readonly query: LoadedDataset;
  readonly reference: LoadedDataset;
}

function className(dataset: LoadedDataset, label: number): string {
  return dataset.classNames[label] ?? String(label);
}

/** The share of each query class left uncovered. */
function perClass(record: CrossRecord, query: LoadedDataset) {
  const labels = record.queryLabels;
  if (!labels) return null;
  const count = new Map<number, number>();
  const uncovered = new Map<number, number>();
  for (const l of labels) count.set(l, (count.get(l) ?? 0) + 1);
  for (const row of record.uncovered) {
    const l = labels[row]!;
    uncovered.set(l, (uncovered.get(l) ?? 0) + 1);
  }
  return [...count.keys()]
    .sort((a, b) => a - b)
    .map((label) => ({
      label,
      labelName: className(query, label),
      count: count.get(label)!,
      uncovered: uncovered.get(label) ?? 0,
      uncoveredFraction: (uncovered.get(label) ?? 0) / count.get(label)!,
    }));
}

export const crossResolvers = {
  Query: {
    crossCoverage: (_: unknown, args: QueryCrossCoverageArgs, { services }: LacunaContext) =>
      services.cross.crossCoverage(args.input),
  },
  CrossCoverageResult: {
    id: ({ record }: CrossSource) => record.key,
    referenceDatasetId: ({ record }: CrossSource) => record.input.reference.datasetId,
    queryDatasetId: ({ record }: CrossSource) => record.input.other.datasetId,
    method: ({ record }: CrossSource) => record.input.reference.method,
    metric: ({ record }: CrossSource) => record.input.metric,
    numObservations: ({ record }: CrossSource) => record.input.reference.numObservations,
    percent: ({ record }: CrossSource) => record.input.reference.percent,
    forceUnitInterval: ({ record }: CrossSource) => record.input.reference.forceUnitInterval,
    model: ({ record }: CrossSource) => record.model,
    coverageRadius: ({ record }: CrossSource) => record.coverageRadius,
    criticalValueRadii: ({ record }: CrossSource) => record.radii,
    queryIndices: ({ record }: CrossSource) => record.queryIndices,
    uncoveredIndices: ({ record }: CrossSource) => record.uncovered,
    referenceCount: ({ record }: CrossSource) => record.referenceIndices.length,
    queryCount: ({ record }: CrossSource) => record.queryIndices.length,
    uncoveredCount: ({ record }: CrossSource) => record.uncovered.length,
    uncovered: async (
      { record }: CrossSource,
      args: CrossCoverageResultUncoveredArgs,
      { services }: LacunaContext,
    ): Promise<UncoveredSource[]> => {
      const { first, offset } = page(args);
      const end = Math.min(offset + first, record.uncovered.length);
      if (end <= offset) return [];
      const query = await services.datasets.load(record.input.other.datasetId);
      const reference = await services.datasets.load(record.input.reference.datasetId);
      const out: UncoveredSource[] = [];
      for (let t = offset; t < end; t++) out.push({ record, t, query, reference });
      return out;
    },
    gapRegions: async ({ record }: CrossSource, _: unknown, { services }: LacunaContext) => {
      const dataset = await services.datasets.load(record.input.other.datasetId);
      return record.regions.map((region): RegionSource => ({
        region,
        dataset,
        indices: record.queryIndices,
      }));
    },
    perClass: async ({ record }: CrossSource, _: unknown, { services }: LacunaContext) =>
      perClass(record, await services.datasets.load(record.input.other.datasetId)),
    seconds: ({ record }: CrossSource) => record.seconds,
    cached: ({ cached }: CrossSource) => cached,
    createdAt: ({ record }: CrossSource) => record.createdAt,
  },
  UncoveredSample: {
    sample: ({ record, t, query }: UncoveredSource) =>
      sampleOf(query, record.queryIndices[record.uncovered[t]!]!),
    radius: ({ record, t }: UncoveredSource) => record.radii[record.uncovered[t]!]!,
    rank: ({ t }: UncoveredSource) => t + 1,
    region: ({ record, t }: UncoveredSource) => record.regionOf[t]!,
    nearest: (source: UncoveredSource, args: UncoveredSampleNearestArgs) => {
      const { record, t, reference } = source;
      const first = args.first ?? 5;
      if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
        throw new InvalidArgumentError("first", `an integer from 0 to ${MAX_PAGE}`, first);
      }
      const out = [];
      for (let c = 0; c < Math.min(first, record.k); c++) {
        const row = record.neighbours[t * record.k + c]!;
        out.push({
          ...sampleOf(reference, record.referenceIndices[row]!),
          distance: record.neighbourDistances[t * record.k + c]!,
        });
      }
      return out;
    },
  },
  GapRegion: {
    medoid: ({ region, indices }: RegionSource) => indices[region.medoid]!,
    medoidSample: ({ region, indices, dataset }: RegionSource) =>
      sampleOf(dataset, indices[region.medoid]!),
    members: ({ region, indices }: RegionSource) => region.members.map((row) => indices[row]!),
    classMix: ({ region, dataset }: RegionSource) =>
      region.classMix.map((c) => ({ ...c, labelName: className(dataset, c.label) })),
    id: ({ region }: RegionSource) => region.id,
    size: ({ region }: RegionSource) => region.size,
    deficit: ({ region }: RegionSource) => region.deficit,
  },
  CoverageResult: {
    gapRegions: async (
      { record }: CoverageSource,
      args: CoverageResultGapRegionsArgs,
      { services }: LacunaContext,
    ) => {
      const factor = normalizeLinkFactor(args.linkFactor, "linkFactor");
      const gaps = await services.analysis.gapRegions(record, factor);
      const dataset = await services.datasets.load(record.input.datasetId);
      return storedRegions(gaps).map((region): RegionSource => ({
        region,
        dataset,
        indices: record.indices,
      }));
    },
  },
};
