import Database from "better-sqlite3";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../testing/process.js";

const SEED = `query Seed { coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 }, numObservations: 20, percent: 0.01, method: ADAPTIVE }) { coverageRadius uncovered { index label radius } } }`;

let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "lacuna-http-"));
  server = await startServerProcess(dataDir, { LACUNA_BODY_LIMIT: "4000" });
});
afterAll(async () => {
  if (server.child.exitCode === null) await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** A GET with a chosen Host header (fetch may not set Host). */
function getWithHost(
  url: string,
  host: string,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((done, fail) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", fail);
    req.end();
  });
}

describe("lacuna serve over HTTP", () => {
  it("answers 403 to a foreign Host (DNS rebinding), serves loopback names, forbids framing", async () => {
    const port = new URL(server.base).port;
    expect((await getWithHost(`${server.base}health`, "attacker.example")).status).toBe(403);
    expect((await getWithHost(`${server.base}health`, `attacker.example:${port}`)).status).toBe(
      403,
    );
    const local = await getWithHost(`${server.base}`, `localhost:${port}`);
    expect(local.status).toBe(200);
    expect(local.headers["x-frame-options"]).toBe("DENY");
    expect(String(local.headers["content-security-policy"])).toMatch(/frame-ancestors 'none'/);
    expect((await getWithHost(`${server.base}health`, `127.0.0.1:${port}`)).status).toBe(200);
  });

  it("answers the seed query and lists the datasets", async () => {
    const datasets = await server.graphql<{ datasets: { id: string }[] }>("{ datasets { id } }");
    expect(datasets.body.data!.datasets.map((d) => d.id)).toEqual(["mnist:train", "mnist:test"]);
    const seed = await server.graphql<{
      coverage: { coverageRadius: number; uncovered: { label: number }[] };
    }>(SEED);
    expect(seed.status).toBe(200);
    const { uncovered } = seed.body.data!.coverage;
    expect(uncovered).toHaveLength(20);
    expect(uncovered.filter((s) => s.label === 2 || s.label === 7).length).toBeGreaterThan(8);
  });

  it("serves health and an offline landing page", async () => {
    const health = await fetch(`${server.base}health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", threads: 2 });
    const query = await fetch(`${server.base}query`);
    expect(query.headers.get("content-type")).toMatch(/text\/html/);
    expect(await query.text()).toContain("<h1>Lacuna</h1>");
    // the dashboard when it is built, else the query page: nothing loaded from another host either way
    for (const path of ["", "query"]) {
      const page = await fetch(`${server.base}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
      expect(await page.text()).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    }
  });

  it("answers malformed and oversized bodies with a code and no stack", async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const malformed = await post("{ not json");
    expect(malformed.status).toBe(400);
    const text = await malformed.text();
    expect(JSON.parse(text).errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(text).not.toMatch(/node_modules|\bat .+:\d+/);
    const huge = await post(JSON.stringify({ query: `{ version }`, padding: "x".repeat(10_000) }));
    expect(huge.status).toBe(413);
    const hugeBody = (await huge.json()) as { errors: { extensions: { code: string } }[] };
    expect(hugeBody.errors[0]!.extensions.code).toBe("PAYLOAD_TOO_LARGE");
    // CSRF prevention: a GET (a "simple" request) without a preflight-forcing header is refused
    const csrf = await fetch(`${server.url}?query=${encodeURIComponent("{ version }")}`);
    expect(csrf.status).toBe(400);
    // CORS closed by default: no Access-Control-Allow-Origin for anyone
    const preflight = await fetch(server.url, {
      method: "OPTIONS",
      headers: { origin: "http://elsewhere.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("computes a crowd of identical requests once", async () => {
    const query = `{ coverage(input: { datasetId: "mnist:test", selection: { limit: 1200 }, numObservations: 7 }) { id coverageRadius seconds } }`;
    const answers = await Promise.all(Array.from({ length: 16 }, () => server.graphql(query)));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toEqual(answers[0]!.body);
    }
    const db = new Database(join(dataDir, "lacuna.sqlite"), { readonly: true });
    try {
      const id = (answers[0]!.body.data as { coverage: { id: string } }).coverage.id;
      expect(db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE key = ?").get(id)).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it("keeps results across a restart and marks a job cut off by kill -9 as failed", async () => {
    const before = await server.graphql<{ coverage: { coverageRadius: number } }>(SEED);
    const big = await server.graphql<{ startCoverage: { id: string } }>(
      `mutation { startCoverage(input: { datasetId: "mnist:train", selection: { limit: 20000 } }) { id } }`,
    );
    const jobId = big.body.data!.startCoverage.id;
    // kill it during the neighbour search (the embedding phase has its own test in faults.test.ts)
    let phase = "";
    for (let i = 0; i < 1200 && phase !== "neighbours"; i++) {
      const job = await server.graphql<{ job: { phase: string } }>(
        `{ job(id: "${jobId}") { phase } }`,
      );
      phase = job.body.data!.job.phase;
      if (phase !== "neighbours") await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(phase).toBe("neighbours");
    expect(await server.stop("SIGKILL")).toBe("SIGKILL");

    server = await startServerProcess(dataDir, { LACUNA_BODY_LIMIT: "4000" });
    const job = await server.graphql<{ job: { status: string; error: { code: string } } }>(
      `{ job(id: "${jobId}") { status error { code message } } }`,
    );
    expect(job.body.data!.job).toMatchObject({ status: "FAILED", error: { code: "INTERRUPTED" } });
    const after = await server.graphql<{ coverage: { coverageRadius: number; cached: boolean } }>(
      `{ coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 } }) { coverageRadius cached } }`,
    );
    expect(after.body.data!.coverage).toEqual({
      coverageRadius: before.body.data!.coverage.coverageRadius,
      cached: true,
    });

    // a graceful stop: SIGTERM exits 0 and says so
    expect(await server.stop("SIGTERM")).toBe(0);
    expect(server.log()).toMatch(/Lacuna stopped/);
    server = await startServerProcess(dataDir, { LACUNA_BODY_LIMIT: "4000" });
  });
});

describe("lacuna serve with an API key and CORS origins", () => {
  let keyed: ServerProcess;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lacuna-http-key-"));
    keyed = await startServerProcess(dir, {
      LACUNA_API_KEY: "0123456789abcdef-key",
      LACUNA_CORS_ORIGINS: "http://dashboard.example",
    });
  });
  afterAll(async () => {
    await keyed.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("needs the key for every operation, in either header; /health stays open", async () => {
    const ping = "mutation { ping }";
    for (const operation of [ping, "{ datasets { id } }", "{ version }"]) {
      const anonymous = await keyed.graphql(operation);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
      expect(anonymous.body.data ?? null).toBeNull();
    }
    expect((await fetch(`${keyed.base}health`)).status).toBe(200);
    const wrong = await keyed.graphql(
      `mutation { cancelJob(id: "x") { id } }`,
      {},
      { authorization: "Bearer wrong-key-wrong-key" },
    );
    expect(wrong.body.errors![0]!.extensions!.code).toBe("UNAUTHENTICATED");
    expect(
      (await keyed.graphql(ping, {}, { authorization: "Bearer 0123456789abcdef-key" })).body.data,
    ).toEqual({ ping: true });
    expect(
      (await keyed.graphql(ping, {}, { "x-api-key": "0123456789abcdef-key" })).body.data,
    ).toEqual({ ping: true });
  });

  it("allows only the configured origins", async () => {
    const ask = (origin: string) =>
      fetch(keyed.url, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
    expect((await ask("http://dashboard.example")).headers.get("access-control-allow-origin")).toBe(
      "http://dashboard.example",
    );
    expect(
      (await ask("http://evil.example")).headers.get("access-control-allow-origin"),
    ).toBeNull();
  });
});
