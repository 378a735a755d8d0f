#!/usr/bin/env node
// Copies the dashboard's built page (packages/dashboard/dist, Vite's output) into this package's
// dist/dashboard, so that the published @lacuna/server carries the page it serves at `/` and finds
// it beside its own code, in the repository and in a user's node_modules alike. turbo builds the
// dashboard first (`@lacuna/server#build` in turbo.json). Node's fs.cpSync does the copy: no library.
import { cpSync, existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const from = fileURLToPath(new URL("../../dashboard/dist", import.meta.url));
const to = fileURLToPath(new URL("../dist/dashboard", import.meta.url));

if (!existsSync(`${from}/index.html`)) {
  console.error(
    `copy-dashboard: ${from}/index.html is missing; build the dashboard first (npm run build in the repository root)`,
  );
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
// source maps stay out of the published page: they are a third of its size and name build paths
cpSync(from, to, { recursive: true, filter: (path) => !path.endsWith(".map") });
console.log(`copy-dashboard: ${from} -> ${to}`);
