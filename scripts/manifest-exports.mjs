/**
 * What a package's manifest points at (`main`, `types`, `bin`, every `exports` target), and the
 * manifest a tarball should carry: without the `exports` entries whose files the tarball leaves
 * out. npm publishes package.json as it is (its `publishConfig` overrides only npm's own settings,
 * not `exports`: npm/cli#7586), so the pack hook (pack-hook.mjs) writes this manifest for the
 * length of `npm pack` / `npm publish`; the install test checks every tarball with the same
 * functions.
 */

/** Every file path an `exports` value names (strings at any depth; null and arrays allowed). */
function targetsOf(value) {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(targetsOf);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(targetsOf);
  return [];
}

/** The subpath map of `exports` (`{ ".": ... }` for the sugar forms), or null without exports. */
function subpaths(exports) {
  if (exports === undefined || exports === null) return null;
  if (typeof exports === "string" || Array.isArray(exports)) return { ".": exports };
  const keys = Object.keys(exports);
  return keys.length > 0 && keys.every((key) => key.startsWith(".")) ? exports : { ".": exports };
}

/** `./dist/a.js` -> `dist/a.js`: a path as npm lists it inside the tarball. */
const inTarball = (target) => target.replace(/^\.\//, "");

/** Whether `files` (tarball paths) holds `target`; a `*` pattern needs one match. */
function shipped(target, files) {
  const path = inTarball(target);
  if (!path.includes("*")) return files.has(path);
  const escaped = path.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`^${escaped.join(".+")}$`);
  return [...files].some((file) => pattern.test(file));
}

/**
 * Every file the manifest points at, each with where it is named (`exports["./testing"]`, `main`,
 * `bin.lacuna`): what an installed user's `import`, `require` or command would load.
 * @param {Record<string, unknown>} manifest a package.json
 * @returns {{ field: string, target: string }[]}
 */
export function manifestTargets(manifest) {
  const found = [];
  for (const field of ["main", "types", "typings", "module"]) {
    if (typeof manifest[field] === "string") found.push({ field, target: manifest[field] });
  }
  const bin = manifest.bin;
  if (typeof bin === "string") found.push({ field: "bin", target: bin });
  else if (bin !== null && typeof bin === "object") {
    for (const [name, target] of Object.entries(bin)) found.push({ field: `bin.${name}`, target });
  }
  const map = subpaths(manifest.exports);
  for (const [subpath, value] of Object.entries(map ?? {})) {
    for (const target of targetsOf(value)) found.push({ field: `exports["${subpath}"]`, target });
  }
  return found;
}

/**
 * The targets of `manifest` missing from `files` (the tarball's paths, relative to its root), as
 * readable lines (`exports["./testing"] -> ./dist/testing.js`); empty when every one is shipped.
 * @param {Record<string, unknown>} manifest
 * @param {Iterable<string>} files
 * @returns {string[]}
 */
export function danglingTargets(manifest, files) {
  const set = new Set(files);
  return manifestTargets(manifest)
    .filter(({ target }) => !shipped(target, set))
    .map(({ field, target }) => `${field} -> ${target}`);
}

/** The export subpaths only the workspace's own tests use, which `files` leaves out on purpose. */
const TEST_ONLY = /^\.\/testing(\/|$)/;

/**
 * The manifest to publish: `manifest` without the `exports` subpaths that name any file missing
 * from `files` (the workspace's own test entry points, which `files` leaves out), and the list of
 * the subpaths dropped. Every other field is kept as it is, in its order.
 * @throws Error where any other target (an export, `main`, `types`, `bin`) is missing: an unbuilt
 *   package is refused rather than published without its entry points
 * @param {Record<string, unknown>} manifest
 * @param {Iterable<string>} files
 * @returns {{ manifest: Record<string, unknown>, dropped: string[] }}
 */
export function publishedManifest(manifest, files) {
  const set = new Set(files);
  const map = subpaths(manifest.exports);
  if (map === null || map !== manifest.exports) {
    const missing = danglingTargets(manifest, set);
    if (missing.length > 0)
      throw new Error(`${manifest.name}: ${missing.join("; ")} not in the package (not built?)`);
    return { manifest, dropped: [] };
  }
  const kept = {};
  const dropped = [];
  for (const [subpath, value] of Object.entries(map)) {
    if (targetsOf(value).every((target) => shipped(target, set))) kept[subpath] = value;
    else if (TEST_ONLY.test(subpath)) dropped.push(subpath);
    // anything else missing is an unbuilt or broken package: never published without it
    else
      throw new Error(
        `${manifest.name}: exports["${subpath}"] names files not in the package (not built?)`,
      );
  }
  const published = { ...manifest, exports: kept };
  const missing = danglingTargets(published, set);
  if (missing.length > 0)
    throw new Error(`${manifest.name}: ${missing.join("; ")} not in the package (not built?)`);
  return { manifest: published, dropped };
}
