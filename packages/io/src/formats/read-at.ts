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
  const done = await readInto(handle, position, buf);
  return done === length ? buf : buf.subarray(0, done);
}

/**
 * Fills `target` (any byte view, a SharedArrayBuffer's included) from `position`, looping over
 * short reads, in reads of at most 64 MiB so that a huge target is not one long system call.
 * @returns the bytes read: target.length, or fewer at the end of the file
 */
export async function readInto(
  handle: FileHandle,
  position: number,
  target: Uint8Array,
): Promise<number> {
  let done = 0;
  while (done < target.length) {
    const length = Math.min(target.length - done, 2 ** 26);
    const { bytesRead } = await handle.read(target, done, length, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}
