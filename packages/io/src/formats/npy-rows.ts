/**
 * Row blocks of a 2-D .npy file, read on demand: for arrays larger than memory (Node has no mmap),
 * which are then processed a block of rows at a time and never held whole.
 */
import { InvalidFileError } from "../errors.js";
import { openRegularFile } from "./open-regular.js";
import { readInto } from "./read-at.js";
import { decodeNpyData } from "./npy.js";
import { npyFileError, readNpyHeader } from "./npy-file.js";

/** An open .npy file of n x d rows (see openNpyRows). */
export interface NpyRows {
  readonly path: string;
  readonly n: number;
  readonly d: number;
  /** How rows are returned: float32 for float32 files, float64 for every other dtype. */
  readonly dtype: "float32" | "float64";
  /** The file's own dtype (`<f2`, `>i8`, ... as a name), for messages. */
  readonly fileDtype: string;
  /** Bytes the whole array takes decoded (n d times 4 or 8): what reading it at once would cost. */
  readonly decodedBytes: number;
  /**
   * Rows [a, b), decoded, row-major, into `out` when given (at least (b - a) d long; its first
   * (b - a) d values are written and that view is returned) or a new array.
   * @throws InvalidFileError (the file was truncated while open), RangeError for a bad range
   */
  read(
    a: number,
    b: number,
    out?: Float32Array | Float64Array,
  ): Promise<Float32Array | Float64Array>;
  close(): Promise<void>;
}

/**
 * The n x d of an .npy array that holds embeddings: 2-D, at least one row and one column.
 * @throws InvalidFileError naming the file and the shape it holds
 */
export function embeddingsShape(path: string, shape: readonly number[]): [number, number] {
  if (shape.length !== 2) {
    throw new InvalidFileError(
      path,
      `embeddings must be a 2-D array (n x d); the file holds shape (${shape.join(", ")}${shape.length === 1 ? "," : ""})`,
    );
  }
  const [n, d] = shape as [number, number];
  if (n === 0 || d === 0) {
    throw new InvalidFileError(
      path,
      `embeddings must have at least one row and one column; the file holds ${n} x ${d}`,
    );
  }
  return [n, d];
}

/**
 * Opens a 2-D .npy file for reading by row blocks. The header is checked as readNpyFile checks it
 * (every dtype and byte order readNpyFile reads, C order, the data all there for the shape it
 * announces) and nothing of the data is read yet. Little-endian float32 rows are read straight
 * into the caller's array; other dtypes are decoded by npy.ts's decoder, block by block.
 * @throws FileNotFoundError, InvalidFileError (not a 2-D array with a row and a column; bad header)
 */
export async function openNpyRows(path: string): Promise<NpyRows> {
  const handle = await openRegularFile(path);
  try {
    const header = await readNpyHeader(handle, path);
    const [n, d] = embeddingsShape(path, header.shape);
    const dtype = header.dtype === "float32" ? "float32" : "float64";
    const rowBytes = d * header.itemSize;
    const read = async (
      a: number,
      b: number,
      out?: Float32Array | Float64Array,
    ): Promise<Float32Array | Float64Array> => {
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > n || a > b)
        throw new RangeError(`rows ${a}..${b} are not a range of 0..${n}`);
      const count = (b - a) * d;
      if (
        out !== undefined &&
        (out.length < count || out instanceof Float32Array !== (dtype === "float32"))
      )
        throw new RangeError(`the output must be a ${dtype} array of at least ${count} values`);
      const target = (
        out ?? (dtype === "float32" ? new Float32Array(count) : new Float64Array(count))
      ).subarray(0, count);
      const position = header.dataOffset + a * rowBytes;
      const length = (b - a) * rowBytes;
      try {
        if (dtype === "float32" && header.littleEndian) {
          const got = await readInto(
            handle,
            position,
            new Uint8Array(target.buffer, target.byteOffset, length),
          );
          if (got < length) throw truncated(path, position + got);
          return target;
        }
        const raw = new Uint8Array(length);
        const got = await readInto(handle, position, raw);
        if (got < length) throw truncated(path, position + got);
        target.set(decodeNpyData({ ...header, shape: [b - a, d], dataBytes: length }, raw).data);
        return target;
      } catch (error) {
        throw npyFileError(error, path);
      }
    };
    return {
      path,
      n,
      d,
      dtype,
      fileDtype: header.descr,
      decodedBytes: n * d * (dtype === "float32" ? 4 : 8),
      read,
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw npyFileError(error, path);
  }
}

function truncated(path: string, at: number): InvalidFileError {
  return new InvalidFileError(
    path,
    `the data ends after ${at} bytes: the file changed while being read`,
  );
}
