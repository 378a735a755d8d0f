import { type Embeddings, createEmbeddings } from "@lacuna/core";
import { InvalidFileError } from "../errors.js";
import { readNpyFile } from "../formats/npy-file.js";
import { requireRegularFile } from "../formats/open-regular.js";

/**
 * Loads n x d embeddings from a 2-D .npy file: float32 stays float32, other dtypes become float64.
 * @throws InvalidFileError for a file that is not a 2-D numeric array; core's errors for NaN or infinity
 */
export async function loadEmbeddingsNpy(path: string): Promise<Embeddings> {
  // a FIFO would block the open: refused by stat first
  await requireRegularFile(path);
  const array = await readNpyFile(path);
  if (array.shape.length !== 2) {
    throw new InvalidFileError(
      path,
      `embeddings must be a 2-D array (n x d); the file holds shape (${array.shape.join(", ")}${array.shape.length === 1 ? "," : ""})`,
    );
  }
  const [n, d] = array.shape as [number, number];
  if (n === 0 || d === 0) {
    throw new InvalidFileError(
      path,
      `embeddings must have at least one row and one column; the file holds ${n} x ${d}`,
    );
  }
  return createEmbeddings(array.data, n, d);
}
