#!/usr/bin/env node
/**
 * `npm run bench:server`: how fast the GraphQL server answers a cached coverage query (the seed's,
 * whose result is in the store) against the cheapest possible query, `{ __typename }`, on the same
 * server in the same run, with autocannon on loopback. Target: at least 50 % of the trivial query's
 * throughput.
 *   --seconds=N   duration of each run (default 10)
 *   --connections=N (default 10)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "../packages/server/bin/lacuna.js");
const option = (name, fallback) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const seconds = option("seconds", 10);
const connections = option("connections", 10);

const SEED = `query Seed { coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 }, numObservations: 20, percent: 0.01, method: ADAPTIVE }) { coverageRadius uncovered { index label radius } } }`;

const dataDir = mkdtempSync(join(tmpdir(), "lacuna-bench-server-"));
const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--data-dir", dataDir], {
  env: { ...process.env, LACUNA_LOG_LEVEL: "warn" },
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
    const match = out.match(/serving GraphQL at (\S+\/graphql)/);
    if (match) resolve(match[1]);
  });
  child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
});

async function post(query) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

function run(title, query) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
        connections,
        duration: seconds,
        title,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

try {
  const warm = await post(SEED); // computes once and stores the result
  if (warm.errors) throw new Error(JSON.stringify(warm.errors));
  const cached = await post(SEED.replace("coverageRadius", "coverageRadius cached"));
  if (!cached.data.coverage.cached)
    throw new Error("the seed result was not served from the store");
  const rows = [];
  for (const [title, query] of [
    ["{ __typename }", "{ __typename }"],
    ["cached seed coverage", SEED],
  ]) {
    const r = await run(title, query);
    if (r.errors || r.non2xx) throw new Error(`${title}: ${r.errors} errors, ${r.non2xx} non-2xx`);
    rows.push({ title, rps: r.requests.average, p99: r.latency.p99, total: r.requests.total });
  }
  console.log(`\nGraphQL over loopback, ${connections} connections, ${seconds} s each (${url})`);
  for (const row of rows) {
    console.log(
      `  ${row.title.padEnd(22)} ${row.rps.toFixed(0).padStart(7)} req/s   p99 ${String(row.p99).padStart(4)} ms   (${row.total} requests)`,
    );
  }
  const ratio = rows[1].rps / rows[0].rps;
  console.log(
    `  cached coverage / __typename throughput: ${(ratio * 100).toFixed(0)} % (target >= 50 %)`,
  );
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
