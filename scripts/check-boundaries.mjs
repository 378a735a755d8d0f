#!/usr/bin/env node
// Builds Nx's project graph and fails when a package imports one that docs/architecture.md forbids.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { boundaryViolations } from "./boundaries.mjs";

const dir = mkdtempSync(join(tmpdir(), "lacuna-graph-"));
try {
  const file = join(dir, "graph.json");
  execFileSync("npx", ["--no-install", "nx", "graph", `--file=${file}`], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false" },
  });
  const { graph } = JSON.parse(readFileSync(file, "utf8"));
  const manifests = {};
  for (const [name, node] of Object.entries(graph.nodes)) {
    manifests[name] = JSON.parse(readFileSync(join(node.data.root, "package.json"), "utf8"));
  }
  const problems = boundaryViolations(graph, manifests);
  if (problems.length > 0) {
    console.error(`Package boundaries (docs/architecture.md) broken:\n  ${problems.join("\n  ")}`);
    process.exitCode = 1;
  } else {
    console.log(
      `Package boundaries OK: ${Object.keys(graph.nodes).length} projects, every import allowed by docs/architecture.md`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
