import type { FileHandle } from "node:fs/promises";

/**
 * Reads exactly `length` bytes at `position`, looping over short reads. Callers size `length` from
 * the file's size, so an early end means the file shrank after that check (truncated while being
 * read): an error, never a silently shorter array.
 * @throws an errno-style error (code ESHORTREAD) that the readers report as an InvalidFileError
 */
export async function readAt(
  handle: FileHandle,
  position: number,
  length: number,
): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  const done = await readInto(handle, position, buf);
  if (done < length) {
    throw Object.assign(
      new Error(
        `the file ended after ${position + done} bytes where ${position + length} were expected: it changed while being read`,
      ),
      { code: "ESHORTREAD" },
    );
  }
  return buf;
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
