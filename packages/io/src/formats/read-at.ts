import type { FileHandle } from "node:fs/promises";

/**
 * Reads `length` bytes at `position`, looping over short reads (one read returns at most about
 * 2 GiB); fewer bytes come back only at the end of the file.
 */
export async function readAt(
  handle: FileHandle,
  position: number,
  length: number,
): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}
