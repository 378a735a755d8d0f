import { type FileHandle, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FileNotFoundError, FileWriteError, InvalidFileError } from "../errors.js";
import { describeFsError, isFsError } from "./fs-errors.js";
import { openRegularFile } from "./open-regular.js";
import { readAt, readInto } from "./read-at.js";
import {
  NPY_PREAMBLE_BYTES,
  type NpyArray,
  type NpyHeader,
  checkDataLength,
  NpyFormatError,
  decodeNpyData,
  encodeNpy,
  parseNpyHeader,
  readPreamble,
} from "./npy.js";

/** Bytes decoded at a time for dtypes that are converted (every dtype but little-endian float32). */
const CHUNK_BYTES = 2 ** 24;

/**
 * Reads a .npy file. The header is read and checked against the file's size before the data
 * is read, so a header that lies about the shape never causes a large allocation. The data is
 * streamed into one array in shared memory (a SharedArrayBuffer, which the worker pool shares
 * with its threads without copying): little-endian float32 straight into it, other dtypes
 * decoded 16 MiB at a time, so the peak is the array itself plus one chunk, never the raw bytes
 * and the array side by side. Node has no mmap; a file whose array does not fit in memory fails
 * with RangeError as the array is allocated, before anything is read.
 * @throws FileNotFoundError, InvalidFileError (naming the file and the problem)
 */
export async function readNpyFile(path: string): Promise<NpyArray> {
  // stat first, then O_NONBLOCK: a FIFO can never block the open (open-regular.ts)
  const handle = await openRegularFile(path);
  try {
    return await readData(handle, await readNpyHeader(handle, path), path);
  } catch (error) {
    throw npyFileError(error, path);
  } finally {
    await handle.close();
  }
}

/**
 * The header of the open .npy file, checked against the file's size (the data it announces must
 * be there), before anything of the data is read or allocated.
 * @throws FileNotFoundError (not a regular file), NpyFormatError (through npyFileError)
 */
export async function readNpyHeader(handle: FileHandle, path: string): Promise<NpyHeader> {
  const stat = await handle.stat();
  if (!stat.isFile()) throw new FileNotFoundError(path, "not a regular file");
  const preamble = await readAt(handle, 0, Math.min(NPY_PREAMBLE_BYTES, stat.size));
  const { end } = readPreamble(preamble);
  const head = await readAt(handle, 0, Math.min(end, stat.size));
  const header = parseNpyHeader(head);
  checkDataLength(header, stat.size - header.dataOffset);
  return header;
}

/** A reader's error as the file error to throw: format and file-system errors name the file. */
export function npyFileError(error: unknown, path: string): unknown {
  if (error instanceof NpyFormatError) return new InvalidFileError(path, error.message);
  if (error instanceof FileNotFoundError) return error;
  if (isFsError(error)) return new InvalidFileError(path, describeFsError(error));
  return error;
}

/** The header's data, streamed into a shared array (see readNpyFile). */
async function readData(handle: FileHandle, header: NpyHeader, path: string): Promise<NpyArray> {
  const count = header.dataBytes / header.itemSize;
  const shape = header.shape;
  const short = (got: number) =>
    new InvalidFileError(path, `the data ends after ${got} of ${header.dataBytes} bytes`);
  if (header.dtype === "float32") {
    const data = new Float32Array(new SharedArrayBuffer(count * 4));
    if (header.littleEndian) {
      const got = await readInto(handle, header.dataOffset, new Uint8Array(data.buffer));
      if (got < header.dataBytes) throw short(got);
      return { dtype: "float32", shape, data };
    }
    await decodeChunks(handle, header, data, short);
    return { dtype: "float32", shape, data };
  }
  const data = new Float64Array(new SharedArrayBuffer(count * 8));
  await decodeChunks(handle, header, data, short);
  return { dtype: header.dtype, shape, data };
}

/** Decodes the data CHUNK_BYTES at a time (whole items) into `out`. */
async function decodeChunks(
  handle: FileHandle,
  header: NpyHeader,
  out: Float32Array | Float64Array,
  short: (got: number) => Error,
): Promise<void> {
  const step = Math.max(1, Math.floor(CHUNK_BYTES / header.itemSize)) * header.itemSize;
  for (let at = 0; at < header.dataBytes; at += step) {
    const length = Math.min(step, header.dataBytes - at);
    const raw = await readAt(handle, header.dataOffset + at, length);
    if (raw.length < length) throw short(at + raw.length);
    out.set(decodeNpyData({ ...header, dataBytes: length }, raw).data, at / header.itemSize);
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
