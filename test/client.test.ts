/**
 * End to end: the real `lacuna serve` process on a free port with a fresh data directory, driven
 * only through @lacuna/client, checked against @lacuna/core computing on the same embeddings.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coverageAdaptiveFromRadii, createEmbeddings, criticalValueRadii } from "@lacuna/core";
import {
  type CoverageInput,
  type Job,
  LacunaClient,
  LacunaError,
  LacunaNetworkError,
} from "@lacuna/client";
import { type ServerProcess, startServerProcess } from "@lacuna/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SEED: CoverageInput = {
  datasetId: "mnist:train",
  selection: { limit: 2000 },
  numObservations: 20,
  percent: 0.01,
  method: "ADAPTIVE",
};

let dataDir: string;
let server: ServerProcess;
let client: LacunaClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "lacuna-e2e-"));
  server = await startServerProcess(dataDir);
  client = new LacunaClient({ url: server.url });
});
afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the seed tutorial through the client", () => {
  it("finds 20 least-covered images, mostly 2s and 7s, with core's radii, then serves them from the store", async () => {
    const datasets = await client.datasets();
    expect(datasets.map((d) => d.id)).toEqual(["mnist:train", "mnist:test"]);

    const r = await client.coverage(SEED, { images: true, imageScale: 2 });
    expect(r.uncovered).toHaveLength(20);
    expect(r.uncoveredCount).toBe(20);
    expect(r.cached).toBe(false);
    for (const s of r.uncovered) {
      expect(s.label).not.toBeNull();
      expect(s.image).toMatch(/^data:image\/png;base64,/);
    }
    const twosAndSevens = r.uncovered.filter((s) => s.label === 2 || s.label === 7).length;
    expect(twosAndSevens / 20).toBeGreaterThan(0.4);

    // the same numbers from core, on the embeddings the server used
    const e = await client.embeddings("mnist:train", { selection: { limit: 2000 }, base64: true });
    expect([e.count, e.dimensions, e.cached]).toEqual([2000, 10, true]);
    const values = LacunaClient.decodeEmbeddings(e);
    const radii = criticalValueRadii(createEmbeddings(values, e.count, e.dimensions), 20);
    expect(r.criticalValueRadii).toEqual(Array.from(radii));
    const expected = coverageAdaptiveFromRadii(radii, 0.01);
    expect(r.coverageRadius).toBe(expected.coverageRadius);
    expect(r.uncovered.map((s) => s.index)).toEqual(Array.from(expected.uncoveredIndices));

    const again = await client.coverage(SEED);
    expect(again.cached).toBe(true);
    expect(again.coverageRadius).toBe(r.coverageRadius);
    expect(again.id).toBe(r.id);
  });

  it("gives the per-class report and explains a flagged sample", async () => {
    const report = await client.perClass(SEED);
    const rows = report.perClass!;
    expect(rows).toHaveLength(10);
    expect(rows.reduce((a, r) => a + r.count, 0)).toBe(2000);
    expect(rows.reduce((a, r) => a + r.uncovered, 0)).toBe(20);
    expect(rows.every((r) => r.assessable)).toBe(true);
    expect(report.statistics.completeness).toBeGreaterThan(0);

    const top = (await client.coverage(SEED, { first: 1 })).uncovered[0]!;
    const why = await client.explain(SEED, top.index, { images: true });
    expect(why.rank).toBe(1);
    expect(why.exceedsCoverageRadius).toBe(true);
    expect(why.neighbours).toHaveLength(20);
    expect(why.neighbours![19]!.distance).toBe(why.radius);
    expect(why.radius).toBeGreaterThan(why.coverageRadius);
    for (const n of why.neighbours!) expect(n.image).toMatch(/^data:image\/png/);
  });

  it("shows one sample with its label", async () => {
    const s = await client.sample("mnist:train", 1480, { imageScale: 3 });
    expect(s.label).toBe(7);
    expect(s.image).toMatch(/^data:image\/png;base64,/);
  });
});

describe("jobs through the client", () => {
  it("starts a job, reports progress, and waits for its result", async () => {
    const input: CoverageInput = {
      datasetId: "mnist:test",
      selection: { limit: 3000 },
      numObservations: 10,
    };
    const job = await client.startCoverage(input);
    expect(["QUEUED", "RUNNING", "SUCCEEDED"]).toContain(job.status);
    const seen: Job[] = [];
    const done = await client.waitForJob(job.id, {
      intervalMs: 20,
      onProgress: (j) => seen.push(j),
    });
    expect(done.status).toBe("SUCCEEDED");
    expect(done.result.uncoveredCount).toBe(30);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.progress).toBeGreaterThanOrEqual(seen[i - 1]!.progress);
    // the same request again is already done
    const twice = await client.startCoverage(input);
    expect(twice.status).toBe("SUCCEEDED");
  });

  it("cancels a running job; waiting on it then fails with CANCELLED", async () => {
    const job = await client.startCoverage({
      datasetId: "mnist:train",
      selection: { limit: 50000 },
    });
    const cancelled = await client.cancelJob(job.id);
    expect(cancelled.id).toBe(job.id);
    const error = await client.waitForJob(job.id, { intervalMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LacunaError);
    expect((error as LacunaError).code).toBe("CANCELLED");
  });
});

describe("errors through the client", () => {
  it("gives LacunaError with BAD_USER_INPUT for bad input, NOT_FOUND for unknown ids", async () => {
    const bad = await client.coverage({ ...SEED, percent: 0 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(LacunaError);
    expect(bad).toMatchObject({ code: "BAD_USER_INPUT", argument: "input.percent" });
    expect((bad as Error).message).toMatch(/0 < percent <= 1; received 0/);
    const missing = await client.job("no-such-job").catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: "LacunaError", code: "NOT_FOUND" });
    const unknown = await client.dataset("cifar").catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: "NOT_FOUND" });
  });

  it("gives LacunaNetworkError when nothing listens", async () => {
    const nowhere = new LacunaClient({ url: "http://127.0.0.1:9/graphql" });
    const error = await nowhere.datasets().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LacunaNetworkError);
  });
});
