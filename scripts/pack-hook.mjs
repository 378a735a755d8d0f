#!/usr/bin/env node
// npm's prepack and postpack hook of every published package (`node <root>/scripts/pack-hook.mjs
// prepack|postpack`, run by npm in the package's folder, for `npm pack` and `npm publish` alike,
// nx release's publish included).
//
// prepack: copies the repository's LICENSE into the package (one file, the same for every package:
// copied rather than committed eight times; .gitignore keeps the copies out of git), asks npm
// which files the tarball will hold (`npm pack --dry-run`: npm's own `files` rules, not a copy of
// them), and writes the manifest to publish: package.json without the `exports` subpaths whose
// files stay out (the workspaces' `./testing` entry points, see manifest-exports.mjs). The
// manifest as committed waits in package.json.unpacked.
// postpack: puts package.json back and removes the LICENSE copy. A pack that died between the two
// leaves package.json.unpacked: the next prepack refuses to run until a person has chosen between
// it and package.json (which may have changed since: a version bump). An export other than
// `./testing`, or `main`/`types`/`bin`, naming a file the package lacks (not built) stops the pack.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { publishedManifest } from "./manifest-exports.mjs";

const LICENSE = fileURLToPath(new URL("../LICENSE", import.meta.url));
const SAVED = "package.json.unpacked";

/** The committed manifest back in place, when a prepack saved it. */
function restore() {
  if (existsSync(SAVED)) renameSync(SAVED, "package.json");
}

/** The paths npm will pack here, by npm's rules; no scripts run, no workspace setting inherited. */
function packedFiles() {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)),
  );
  const result = spawnSync(
    "npm",
    ["pack", "--dry-run", "--json", "--ignore-scripts", "--workspaces=false"],
    { env, encoding: "utf8" },
  );
  if (result.status !== 0) {
    throw new Error(`npm pack --dry-run failed in ${process.cwd()}:\n${result.stderr}`);
  }
  const [pack] = JSON.parse(result.stdout);
  return pack.files.map((file) => file.path);
}

function prepack() {
  // a pack that died between the hooks left the committed manifest aside; package.json may have
  // changed since (a version bump): which one is right is for a person to say, not this hook
  if (existsSync(SAVED)) {
    throw new Error(
      `${process.cwd()}/${SAVED} was left by a pack that did not finish: compare it with package.json, keep the right one as package.json and delete the other`,
    );
  }
  copyFileSync(LICENSE, "LICENSE");
  const text = readFileSync("package.json", "utf8");
  const { manifest, dropped } = publishedManifest(JSON.parse(text), packedFiles());
  if (dropped.length === 0) return;
  writeFileSync(SAVED, text);
  writeFileSync("package.json.next", `${JSON.stringify(manifest, null, 2)}\n`);
  // a rename: whoever reads package.json meanwhile reads one whole manifest or the other
  renameSync("package.json.next", "package.json");
  console.error(`pack-hook: ${manifest.name} published without exports ${dropped.join(", ")}`);
}

function postpack() {
  restore();
  rmSync("LICENSE", { force: true });
}

const step = process.argv[2];
if (step === "prepack") prepack();
else if (step === "postpack") postpack();
else {
  console.error("usage: node scripts/pack-hook.mjs prepack|postpack (npm runs it in a package)");
  process.exit(2);
}
