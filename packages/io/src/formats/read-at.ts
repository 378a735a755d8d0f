import type { FileHandle } from "node:fs/promises";

/**
 * Reads exactly `length` bytes at `position`, looping over short reads (one read returns at most
 * about 2 GiB). Callers size `length` from the file's size, so an early end means the file shrank
 * after that check (truncated while being read): an error, never a silently shorter array.
 * @throws an errno-style error (code ESHORTREAD) that the readers report as an InvalidFileError
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
