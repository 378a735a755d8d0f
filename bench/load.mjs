#!/usr/bin/env node
/**
 * `npm run bench:load`: a mixed load on one `lacuna serve` process over loopback with autocannon:
 * cached coverage queries (the seed's), dataset listings, and new coverage computations (a fixed
 * set of distinct selections, each requested many times). Reports throughput, latency, errors, the
 * server's memory after warm-up and at the end, the most computations ever running at once
 * (polled from /health) against the configured capacity, and whether every distinct computation
 * ran exactly once (from the jobs table).
 *   --seconds=N (default 60)   --connections=N (default 8)   --distinct=N new selections (default 12)
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import autocannon from "autocannon";
import { startLacuna } from "./lacuna-server.mjs";

const require = createRequire(
  join(dirname(fileURLToPath(import.meta.url)), "../packages/server/package.json"),
);
const Database = require("better-sqlite3");

const option = (name, fallback) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const seconds = option("seconds", 60);
const connections = option("connections", 8);
const distinct = option("distinct", 12);

const SEED = `query Seed { coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 }, numObservations: 20, percent: 0.01, method: ADAPTIVE }) { coverageRadius uncovered { index label radius } } }`;
const LIST = `{ datasets { id name size classes { index count } } }`;
const fresh = (i) =>
  `{ coverage(input: { datasetId: "mnist:test", selection: { limit: ${600 + 100 * (i % distinct)} }, numObservations: 10 }) { coverageRadius uncoveredCount } }`;

const server = await startLacuna();
const { url } = server;
const health = async () => (await fetch(url.replace(/graphql$/, "health"))).json();
const post = server.post;

try {
  const warm = await post(SEED);
  if (warm.errors) throw new Error(JSON.stringify(warm.errors));
  let peakRunning = 0;
  const rss = [];
  const started = Date.now();
  const poll = setInterval(async () => {
    try {
      const h = await health();
      peakRunning = Math.max(peakRunning, h.runningJobs);
      rss.push({ t: (Date.now() - started) / 1000, mb: h.rssBytes / 2 ** 20 });
    } catch (error) {
      // a missed poll is not a failure of the server under test, but say so
      console.warn(`health poll failed: ${error.message}`);
    }
  }, 1000);
  let counter = 0;
  let graphqlErrors = 0;
  let freshCount = 0;
  const mix = ["seed", "seed", "seed", "seed", "seed", "list", "list", "fresh"];
  const result = await new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: "POST",
        headers: { "content-type": "application/json" },
        connections,
        duration: seconds,
        timeout: 120,
        requests: [
          {
            setupRequest: (request) => {
              const kind = mix[counter % mix.length];
              const query = kind === "seed" ? SEED : kind === "list" ? LIST : fresh(freshCount++);
              counter++;
              return { ...request, body: JSON.stringify({ query }) };
            },
            onResponse: (status, body) => {
              if (status !== 200 || body.includes('"errors"')) graphqlErrors++;
            },
          },
        ],
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
  });
  clearInterval(poll);
  const final = await health();
  const db = new Database(join(server.dataDir, "lacuna.sqlite"), { readonly: true });
  const { jobs, keys } = db
    .prepare("SELECT COUNT(*) AS jobs, COUNT(DISTINCT key) AS keys FROM jobs")
    .get();
  const failed = db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE status != 'SUCCEEDED'").get().n;
  db.close();
  const warmRss = rss.find((r) => r.t >= Math.min(10, seconds / 3))?.mb ?? rss[0]?.mb ?? 0;
  const endRss = rss.at(-1)?.mb ?? 0;
  console.log(`\nMixed load, ${connections} connections, ${seconds} s (${url})`);
  console.log(
    `  requests: ${result.requests.total} (${result.requests.average.toFixed(0)} req/s), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
  );
  console.log(
    `  errors: ${result.errors} transport, ${result.timeouts} timeouts, ${result.non2xx} non-2xx, ${graphqlErrors} GraphQL errors`,
  );
  console.log(
    `  computations: ${jobs} jobs for ${keys} distinct requests (${jobs === keys ? "each computed once" : "SOME COMPUTED TWICE"}), ${failed} not succeeded`,
  );
  console.log(
    `  running at once: at most ${peakRunning} (capacity ${final.maxConcurrentJobs}); still queued at the end: ${final.activeJobs}`,
  );
  console.log(
    `  server memory: ${warmRss.toFixed(0)} MB after warm-up, ${endRss.toFixed(0)} MB at the end, peak ${Math.max(...rss.map((r) => r.mb)).toFixed(0)} MB`,
  );
} finally {
  await server.stop();
}
