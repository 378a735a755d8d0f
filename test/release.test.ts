/** The release dry run's check (scripts/release-dry-run.mjs): a preview must list only new entries. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repeatedEntries } from "../scripts/changelog-repeats.mjs";
import { REPO_ROOT } from "./helpers/packages.js";

/** nx release's dry-run output around a CHANGELOG.md preview holding `entries`. */
const preview = (entries: string[]) =>
  [
    " NX   Previewing an entry in CHANGELOG.md for v0.1.1",
    "",
    "UPDATE CHANGELOG.md [dry-run]",
    "",
    "+ ## 0.1.1 (2026-12-01)",
    "+",
    "+ ### 🚀 Features",
    "+",
    ...entries.map((entry) => `+ ${entry}`),
    "",
    "  ## 0.1.0 (2026-11-30)",
    "  - an unchanged line of the file, shown as context",
  ].join("\n");

describe("the release preview's check", () => {
  it("passes a preview of new entries only", async () => {
    const changelog = await readFile(join(REPO_ROOT, "CHANGELOG.md"), "utf8");
    const fresh = ["- **cli:** something released after 0.1.0", "- **core:** another"];
    expect(repeatedEntries(preview(fresh), changelog)).toEqual([]);
  });

  it("names the released entries a preview repeats (a release based on no tag)", async () => {
    const changelog = await readFile(join(REPO_ROOT, "CHANGELOG.md"), "utf8");
    const released = changelog
      .split("\n")
      .filter((line) => line.startsWith("- "))
      .slice(0, 2);
    expect(released).toHaveLength(2);
    const mixed = ["- **cli:** something new", ...released];
    expect(repeatedEntries(preview(mixed), changelog)).toEqual(released);
  });

  it("reads only the preview's added lines, not the context nx prints", () => {
    const changelog = "## 0.1.0\n\n- an unchanged line of the file, shown as context\n";
    expect(repeatedEntries(preview([]), changelog)).toEqual([]);
  });

  it("reads a coloured preview as its text (FORCE_COLOR)", async () => {
    const changelog = await readFile(join(REPO_ROOT, "CHANGELOG.md"), "utf8");
    const released = changelog
      .split("\n")
      .filter((line) => line.startsWith("- "))
      .slice(0, 1);
    const coloured = preview(released)
      .split("\n")
      .map((line) => (line.startsWith("+") ? `\x1b[32m${line}\x1b[39m` : line))
      .join("\n");
    expect(repeatedEntries(coloured, changelog)).toEqual(released);
  });
});
