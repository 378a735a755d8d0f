import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { FileNotFoundError, InvalidFileError } from "../errors.js";
import {
  IDX_PREAMBLE_BYTES,
  type IdxArray,
  IdxFormatError,
  checkIdxDataLength,
  decodeIdxData,
  idxHeaderLength,
  parseIdxHeader,
} from "./idx.js";
import { describeFsError, isFsError } from "./fs-errors.js";
import { openRegularFile } from "./open-regular.js";
import { readAt } from "./read-at.js";

/**
 * Reads an IDX file, plain or gzipped (by its 1f 8b magic, whatever its name). The header is read
 * and checked first; the data buffer is sized by the header only once the file (or, gzipped, the
 * stream so far) can back it, so a lying header never causes a large allocation.
 * @throws FileNotFoundError, InvalidFileError naming the file and the problem
 */
export async function readIdxFile(path: string): Promise<IdxArray> {
  try {
    return (await isGzip(path)) ? await readGzipped(path) : await readPlain(path);
  } catch (error) {
    if (error instanceof IdxFormatError) throw new InvalidFileError(path, error.message);
    if (error instanceof FileNotFoundError || error instanceof InvalidFileError) throw error;
    if (error instanceof Error && "code" in error && String(error.code).startsWith("Z_")) {
      throw new InvalidFileError(path, `damaged gzip data: ${error.message}`);
    }
    if (isFsError(error)) {
      throw error.code === "ENOENT" || error.code === "EISDIR"
        ? new FileNotFoundError(path, describeFsError(error))
        : new InvalidFileError(path, describeFsError(error));
    }
    throw error;
  }
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await openRegularFile(path);
  try {
    const head = new Uint8Array(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function readPlain(path: string): Promise<IdxArray> {
  const handle = await openRegularFile(path);
  try {
    const size = (await handle.stat()).size;
    const preamble = await readAt(handle, 0, Math.min(IDX_PREAMBLE_BYTES, size));
    const header = parseIdxHeader(
      await readAt(handle, 0, Math.min(idxHeaderLength(preamble), size)),
    );
    checkIdxDataLength(header, size - header.dataOffset);
    return decodeIdxData(header, await readAt(handle, header.dataOffset, header.dataBytes));
  } finally {
    await handle.close();
  }
}

async function readGzipped(path: string): Promise<IdxArray> {
  const chunks: Buffer[] = [];
  let total = 0;
  let expected = -1;
  let header;
  const handle = await openRegularFile(path);
  // the stream owns the checked handle (autoClose), never reopening the path by name
  const stream = createReadStream(path, { fd: handle }).pipe(createGunzip());
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    total += chunk.length;
    if (!header && total >= IDX_PREAMBLE_BYTES) {
      const head = Buffer.concat(chunks);
      const length = idxHeaderLength(head);
      if (total >= length) {
        header = parseIdxHeader(head);
        expected = header.dataOffset + header.dataBytes;
      }
    }
    if (expected >= 0 && total > expected) {
      throw new IdxFormatError(
        `the decompressed file is longer than shape (${header!.shape.join(", ")}) of ${header!.dtype} needs`,
      );
    }
  }
  const bytes = Buffer.concat(chunks);
  header ??= parseIdxHeader(bytes);
  checkIdxDataLength(header, bytes.length - header.dataOffset);
  return decodeIdxData(header, bytes.subarray(header.dataOffset));
}
