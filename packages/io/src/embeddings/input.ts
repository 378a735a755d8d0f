import { type Embeddings, createEmbeddings } from "@lacuna/core";
import { readNpyFile } from "../formats/npy-file.js";
import { embeddingsShape } from "../formats/npy-rows.js";
import { requireRegularFile } from "../formats/open-regular.js";

/**
 * Loads n x d embeddings from a 2-D .npy file: float32 stays float32, other dtypes become float64.
 * @throws InvalidFileError for a file that is not a 2-D numeric array; core's errors for NaN or infinity
 */
export async function loadEmbeddingsNpy(path: string): Promise<Embeddings> {
  // a FIFO would block the open: refused by stat first
  await requireRegularFile(path);
  const array = await readNpyFile(path);
  const [n, d] = embeddingsShape(path, array.shape);
  return createEmbeddings(array.data, n, d);
}
