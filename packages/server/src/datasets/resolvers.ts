import type {
  MutationRegisterDatasetArgs,
  MutationRemoveDatasetArgs,
  QueryDatasetArgs,
  QuerySampleArgs,
  SampleImageArgs,
} from "../generated/graphql.js";
import type { CoverageRecord } from "../coverage/store.js";
import { imageBytes } from "@lacuna/io";
import { type DatasetRecord, type LoadedDataset, datasetClasses } from "./service.js";
import { DatasetUnavailableError, InvalidArgumentError } from "../errors.js";
import { type LacunaContext, requireKey } from "../graphql/context.js";
import { MAX_IMAGE_SCALE } from "@lacuna/io/pictures";
import { pictureBatcher } from "./picture-batch.js";

/** What a `Sample` resolves from; `result` is set inside a coverage result. */
export interface SampleSource {
  readonly dataset: LoadedDataset;
  readonly index: number;
  readonly label: number | null;
  readonly radius: number | null;
  readonly result?: { readonly record: CoverageRecord; readonly row: number };
}

export function sampleOf(
  dataset: LoadedDataset,
  index: number,
  result?: { readonly record: CoverageRecord; readonly row: number },
): SampleSource {
  const label = dataset.labels ? (dataset.labels[index] ?? null) : null;
  const radius = result ? (result.record.radii[result.row] ?? null) : null;
  return { dataset, index, label, radius, ...(result ? { result } : {}) };
}

/** Largest picture one image field draws (a 28 x 28 image at scale 16 is 200 704 pixels). */
export const MAX_IMAGE_PIXELS = 1_048_576;

export const datasetResolvers = {
  Query: {
    datasets: (_: unknown, __: unknown, { services }: LacunaContext) => services.datasets.list(),
    dataset: (_: unknown, args: QueryDatasetArgs, { services }: LacunaContext) =>
      services.datasets.get(args.id),
    sample: async (_: unknown, args: QuerySampleArgs, { services }: LacunaContext) => {
      const dataset = await services.datasets.load(args.datasetId);
      if (!Number.isInteger(args.index) || args.index < 0 || args.index >= dataset.size) {
        throw new InvalidArgumentError(
          "index",
          `an integer in [0, ${dataset.size - 1}]`,
          args.index,
        );
      }
      return sampleOf(dataset, args.index);
    },
  },
  Mutation: {
    registerDataset: (_: unknown, args: MutationRegisterDatasetArgs, context: LacunaContext) => {
      requireKey(context);
      return context.services.datasets.register(args.input);
    },
    removeDataset: (_: unknown, args: MutationRemoveDatasetArgs, context: LacunaContext) => {
      requireKey(context);
      return context.services.datasets.remove(args.id);
    },
  },
  Dataset: {
    // an unreadable registered dataset is listed with its state, never failing the whole list
    state: async (record: DatasetRecord, _: unknown, { services }: LacunaContext) =>
      (await services.datasets.loadState(record.id)) instanceof DatasetUnavailableError
        ? "UNAVAILABLE"
        : "READY",
    problem: async (record: DatasetRecord, _: unknown, { services }: LacunaContext) => {
      const state = await services.datasets.loadState(record.id);
      return state instanceof DatasetUnavailableError ? state.message : null;
    },
    size: async (record: DatasetRecord, _: unknown, { services }: LacunaContext) => {
      const state = await services.datasets.loadState(record.id);
      return state instanceof DatasetUnavailableError ? 0 : state.size;
    },
    imageShape: async (record: DatasetRecord, _: unknown, { services }: LacunaContext) => {
      const state = await services.datasets.loadState(record.id);
      return !(state instanceof DatasetUnavailableError) && state.kind === "images"
        ? state.images.imageShape
        : null;
    },
    dimensions: async (record: DatasetRecord, _: unknown, { services }: LacunaContext) => {
      const state = await services.datasets.loadState(record.id);
      return !(state instanceof DatasetUnavailableError) && state.kind === "embeddings"
        ? state.embeddings.d
        : null;
    },
    classes: async (record: DatasetRecord, _: unknown, { services }: LacunaContext) => {
      const state = await services.datasets.loadState(record.id);
      return state instanceof DatasetUnavailableError ? [] : datasetClasses(state);
    },
  },
  Sample: {
    labelName: labelNameOf,
    image: (sample: SampleSource, args: SampleImageArgs) => sampleImage(sample, args),
  },
};

/** The name of a sample's class (its number when the dataset names none); null when unlabelled. */
export function labelNameOf(sample: SampleSource): string | null {
  return sample.label === null
    ? null
    : (sample.dataset.classNames[sample.label] ?? String(sample.label));
}

/** A sample's image as a PNG data URL; null for an embeddings dataset. @throws InvalidArgumentError */
export async function sampleImage(
  sample: SampleSource,
  args: SampleImageArgs,
): Promise<string | null> {
  const scale = args.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_IMAGE_SCALE) {
    throw new InvalidArgumentError("scale", `an integer from 1 to ${MAX_IMAGE_SCALE}`, scale);
  }
  const { dataset } = sample;
  if (dataset.kind !== "images") return null;
  const [h, w] = dataset.images.imageShape;
  if (h * w * scale * scale > MAX_IMAGE_PIXELS) {
    throw new InvalidArgumentError(
      "scale",
      `at most ${Math.floor(Math.sqrt(MAX_IMAGE_PIXELS / (h * w)))} for ${h} x ${w} images (${MAX_IMAGE_PIXELS} pixels)`,
      scale,
    );
  }
  return pictureBatcher.encode(
    imageBytes(dataset.images, sample.index),
    dataset.images.imageShape,
    scale,
  );
}
