import { mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * Creates the folder `path` and its missing parents, one level at a time. Node's own
 * `mkdir(..., { recursive: true })` loops forever where a parent refuses new entries with ENOENT
 * (`/proc/x`); here each level is made once, so any refusal is thrown at once.
 * @throws Node's errno exception (ENOENT, ENOTDIR, EACCES, ...) of the first level that fails; an
 *   existing non-folder anywhere on the path is ENOTDIR
 */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  let at = resolve(path);
  for (;;) {
    const found = statSync(at, { throwIfNoEntry: false });
    if (found) {
      if (!found.isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), {
          code: "ENOTDIR",
          path: at,
        });
      }
      break;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!);
    } catch (error) {
      // another process made it meanwhile: fine
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
