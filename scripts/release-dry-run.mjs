#!/usr/bin/env node
// `npm run release:dry-run` (in `npm test`, so in CI): `nx release --dry-run --skip-publish`, then,
// where the clone has the release tags, a failure where the preview is not a next release: nx did
// not resolve the current version from a `v{version}` tag, or the previewed CHANGELOG.md entry
// repeats entries already released (a tag on the wrong commit). A clone without tags (a shallow
// one, or a branch pushed without them) still runs the dry run, nx reading the version from the
// manifests (nx.json's disk fallback), and says that the tag checks were skipped and why. nx's
// output is printed as it comes.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { repeatedEntries } from "./changelog-repeats.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const tagged =
  spawnSync("git", ["describe", "--tags", "--abbrev=0", "--match", "v*"], { cwd: root }).status ===
  0;
const child = spawn("npx", ["--no-install", "nx", "release", "--dry-run", "--skip-publish"], {
  cwd: root,
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
for (const stream of [child.stdout, child.stderr]) {
  stream.setEncoding("utf8").on("data", (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
}
child.on("close", (code) => {
  if (code !== 0) {
    console.error(
      "release:dry-run: nx release failed; without a v{version} tag on the last release's commit, see CONTRIBUTING.md, Releasing",
    );
    process.exit(code ?? 1);
  }
  if (!tagged) {
    console.log(
      "release:dry-run: dry run done; no v{version} tag in this clone (shallow, or pushed without tags), so the checks that the release resolves from its tag and repeats no released entry were skipped",
    );
    return;
  }
  if (/Unable to resolve the current version from git tags/.test(output)) {
    console.error("release:dry-run: nx found no v{version} tag for the current version");
    process.exit(1);
  }
  const repeated = repeatedEntries(output, readFileSync(`${root}/CHANGELOG.md`, "utf8"));
  if (repeated.length > 0) {
    console.error(
      `release:dry-run: the previewed release repeats ${repeated.length} released entries (is the last release's tag on its commit?):\n${repeated.slice(0, 5).join("\n")}`,
    );
    process.exit(1);
  }
  console.log("release:dry-run: the next release resolves from its tag and lists only new entries");
});
