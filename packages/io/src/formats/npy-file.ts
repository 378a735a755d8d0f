import { open, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FileNotFoundError, FileWriteError, InvalidFileError } from "../errors.js";
import { describeFsError, isFsError } from "./fs-errors.js";
import { readAt } from "./read-at.js";
import {
  NPY_PREAMBLE_BYTES,
  type NpyArray,
  checkDataLength,
  NpyFormatError,
  decodeNpyData,
  encodeNpy,
  parseNpyHeader,
  readPreamble,
} from "./npy.js";

/**
 * Reads a .npy file. The header is read and checked against the file's size before the data
 * is read, so a header that lies about the shape never causes a large allocation.
 * @throws FileNotFoundError, InvalidFileError (naming the file and the problem)
 */
export async function readNpyFile(path: string): Promise<NpyArray> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new FileNotFoundError(path, describeFsError(error));
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FileNotFoundError(path, "not a regular file");
    const preamble = await readAt(handle, 0, Math.min(NPY_PREAMBLE_BYTES, stat.size));
    const { end } = readPreamble(preamble);
    const head = await readAt(handle, 0, Math.min(end, stat.size));
    const header = parseNpyHeader(head);
    checkDataLength(header, stat.size - header.dataOffset);
    const raw = await readAt(handle, header.dataOffset, header.dataBytes);
    return decodeNpyData(header, raw);
  } catch (error) {
    if (error instanceof NpyFormatError) throw new InvalidFileError(path, error.message);
    if (error instanceof FileNotFoundError) throw error;
    if (isFsError(error)) throw new InvalidFileError(path, describeFsError(error));
    throw error;
  } finally {
    await handle.close();
  }
}

/**
 * Writes a .npy file atomically: to a temporary file beside it, then renamed over the target, so
 * a reader never sees half a file.
 */
export async function writeNpyFile(
  path: string,
  data: Float32Array | Float64Array | Int32Array,
  shape: readonly number[],
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, encodeNpy(data, shape));
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw new FileWriteError(path, describeFsError(error), error);
  }
}
