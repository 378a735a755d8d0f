/**
 * The entries of a previewed release (the `+ - ...` lines of `nx release --dry-run`'s CHANGELOG.md
 * diff) that CHANGELOG.md already holds: what a release whose base is not the last release's tag
 * would list a second time (with no tag, nx's `automaticFromRef` starts from the first commit).
 */

/** A terminal colour code (ESC [ ... m); built from a string, as a regex literal may not hold ESC. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** The bullet lines (`- ...`) of a markdown changelog, trimmed. */
function entries(lines) {
  return lines.map((line) => line.trim()).filter((line) => line.startsWith("- "));
}

/**
 * Every entry `preview` (nx's dry-run output) adds that `changelog` (CHANGELOG.md's text) already
 * has, in the preview's order; empty when the preview adds only new entries, or none.
 * @param {string} preview
 * @param {string} changelog
 * @returns {string[]}
 */
export function repeatedEntries(preview, changelog) {
  const released = new Set(entries(changelog.split("\n")));
  const added = entries(
    preview
      // nx colours its diff where the terminal (or FORCE_COLOR) asks: read the text
      .replace(ANSI_COLOUR, "")
      .split("\n")
      .filter((line) => line.startsWith("+ "))
      .map((line) => line.slice(2)),
  );
  return added.filter((entry) => released.has(entry));
}
