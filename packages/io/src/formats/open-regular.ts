import { constants } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { FileNotFoundError } from "../errors.js";
import { describeFsError } from "./fs-errors.js";

/** What a non-regular file is, for the message. */
function kindOf(s: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (s.isDirectory()) return "a folder";
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isSocket()) return "a socket";
  return "a device";
}

/**
 * Refuses anything but a regular file at `path` (following links) without opening it: opening a
 * FIFO for reading blocks until a writer appears, holding one of Node's four file-system threads.
 * @throws FileNotFoundError "not a regular file (a FIFO ...)" or the stat failure
 */
export async function requireRegularFile(path: string): Promise<void> {
  let found;
  try {
    found = await stat(path);
  } catch (error) {
    throw new FileNotFoundError(path, describeFsError(error));
  }
  if (!found.isFile()) throw new FileNotFoundError(path, `not a regular file (${kindOf(found)})`);
}

/**
 * Opens a regular file for reading: checked with stat first, then opened with O_NONBLOCK (so a
 * FIFO swapped in after the check cannot block the open) and checked again on the handle.
 * @throws FileNotFoundError for a missing or non-regular file
 */
export async function openRegularFile(path: string): Promise<FileHandle> {
  await requireRegularFile(path);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new FileNotFoundError(path, describeFsError(error));
  }
  const opened = await handle.stat();
  if (!opened.isFile()) {
    await handle.close();
    throw new FileNotFoundError(path, `not a regular file (${kindOf(opened)})`);
  }
  return handle;
}

/** A regular file's whole text (UTF-8), opened as `openRegularFile` does. */
export async function readRegularText(path: string): Promise<string> {
  const handle = await openRegularFile(path);
  try {
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}
