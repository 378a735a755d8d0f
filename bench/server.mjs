#!/usr/bin/env node
/**
 * `npm run bench:server`: how fast the GraphQL server answers a cached coverage query (the seed's,
 * whose result is in the store) against the cheapest possible query, `{ __typename }`, on the same
 * server in the same run, with autocannon on loopback. Target: at least 50 % of the trivial query's
 * throughput.
 *   --seconds=N   duration of each run (default 10)
 *   --connections=N (default 10)
 */
import autocannon from "autocannon";
import { startLacuna } from "./lacuna-server.mjs";

const option = (name, fallback) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const seconds = option("seconds", 10);
const connections = option("connections", 10);

const SEED = `query Seed { coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 }, numObservations: 20, percent: 0.01, method: ADAPTIVE }) { coverageRadius uncovered { index label radius } } }`;

const server = await startLacuna();
const { url } = server;

const post = server.post;

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
  await server.stop();
}
