import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { FileNotFoundError, PathOutsideRootsError } from "../errors.js";

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Resolves `path` (absolute, or relative to the first root) to its real location, following every
 * symbolic link, and refuses it unless that location lies inside one of the roots' real locations.
 * Checking the real path, not the spelling, is what stops `..` and links pointing outside.
 * @throws PathOutsideRootsError; FileNotFoundError when the path does not exist
 */
export async function confinePath(path: string, roots: readonly string[]): Promise<string> {
  if (roots.length === 0) throw new PathOutsideRootsError(path, ["(none configured)"]);
  if (path.includes("\0")) throw new PathOutsideRootsError(JSON.stringify(path), roots);
  const candidate = isAbsolute(path) ? path : resolve(roots[0]!, path);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    // say nothing about paths outside the roots, not even whether they exist
    if (!roots.some((root) => inside(resolve(root), resolve(candidate)))) {
      throw new PathOutsideRootsError(path, roots);
    }
    throw new FileNotFoundError(path, "no such file or folder");
  }
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = await realpath(root);
    } catch {
      continue; // a root that does not exist confines nothing
    }
    if (inside(realRoot, real)) return real;
  }
  throw new PathOutsideRootsError(path, roots);
}
