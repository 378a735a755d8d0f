import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { FileWriteError } from "../errors.js";
import { describeFsError } from "../formats/fs-errors.js";
import { type ExportFormat, type ExportRecord, formatExport } from "./records.js";

/**
 * Writes export records to `path` in `format`, through a temporary file renamed into place, so
 * a failed write (missing folder, full disk) leaves no partial file.
 * @throws FileWriteError (kind input) naming the file and the reason
 */
export async function writeExportFile(
  path: string,
  records: readonly ExportRecord[],
  format: ExportFormat,
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, formatExport(records, format));
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw new FileWriteError(path, describeFsError(error), error);
  }
}
