/**
 * Live jobs, history and binary arrays end to end: a real `lacuna serve` process with an API key,
 * driven through @lacuna/client over HTTP and over graphql-ws (the `ws` package: Node.js 20 has no
 * global WebSocket).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import {
  type CoverageInput,
  type JobUpdate,
  LacunaClient,
  LacunaError,
  followJobLive,
} from "@lacuna/client";
import { type ServerProcess, startServerProcess } from "@lacuna/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const KEY = "end-to-end-key-0123456789";
let dataDir: string;
let server: ServerProcess;
let client: LacunaClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "lacuna-live-"));
  server = await startServerProcess(dataDir, { LACUNA_API_KEY: KEY });
  client = new LacunaClient({ url: server.url, apiKey: KEY, webSocket: WebSocket });
});
afterAll(async () => {
  await client.close();
  if (server.child.exitCode === null) await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function follow(id: string): Promise<JobUpdate[]> {
  const events: JobUpdate[] = [];
  for await (const job of client.subscribeJob(id)) events.push(job);
  return events;
}

describe("subscribeJob through the real server", () => {
  it("emits every change in order, progress never going back, and completes after SUCCEEDED", async () => {
    const input: CoverageInput = {
      datasetId: "mnist:test",
      selection: { limit: 3000 },
      numObservations: 10,
    };
    const job = await client.startCoverage(input);
    const events = await follow(job.id);
    expect(events.length).toBeGreaterThan(2);
    expect(events.at(-1)).toMatchObject({ id: job.id, status: "SUCCEEDED", progress: 1 });
    expect(events.slice(0, -1).every((e) => e.status === "QUEUED" || e.status === "RUNNING")).toBe(
      true,
    );
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.progress).toBeGreaterThanOrEqual(events[i - 1]!.progress);
    expect(events.some((e) => e.phase === "neighbours")).toBe(true);
    // followJobLive over the socket: a finished job gives its one final state
    const seen: JobUpdate[] = [];
    const end = await followJobLive(client, job.id, { onUpdate: (j) => seen.push(j) });
    expect([end.status, seen.length]).toEqual(["SUCCEEDED", 1]);

    // the radii as base64 float32 are the JSON radii rounded to float32, indices exact
    const json = await client.coverage(input, { first: 0 });
    const binary = await client.radii(input);
    expect(binary.id).toBe(json.id);
    expect(Array.from(binary.radii)).toEqual(json.criticalValueRadii.map((r) => Math.fround(r)));
    expect(Array.from(binary.indices)).toEqual(json.indices);
  });

  it("ends a cancelled job with CANCELLED", async () => {
    const job = await client.startCoverage({
      datasetId: "mnist:train",
      selection: { limit: 40000 },
      numObservations: 7,
    });
    const events: JobUpdate[] = [];
    for await (const update of client.subscribeJob(job.id)) {
      events.push(update);
      if (events.length === 1) await client.cancelJob(job.id);
    }
    expect(events.at(-1)).toMatchObject({
      status: "CANCELLED",
      error: { code: "CANCELLED" },
    });
  });

  it("refuses a socket without the key, and answers an unknown job NOT_FOUND", async () => {
    const anonymous = new LacunaClient({ url: server.url, webSocket: WebSocket });
    const refused = await anonymous
      .subscribeJob("any")
      .next()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LacunaError);
    expect((refused as LacunaError).code).toBe("UNAUTHENTICATED");
    await anonymous.close();
    const missing = await client
      .subscribeJob("no-such-job")
      .next()
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("history through the client", () => {
  it("pages jobs and results newest first, and deletes a result", async () => {
    // two jobs so far (a stored answer needs none): a page of one has a next page
    const first = await client.jobs({ first: 1 });
    expect(first.edges).toHaveLength(1);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await client.jobs({ first: 1000, after: first.pageInfo.endCursor! });
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const all = [...first.edges, ...rest.edges].map((e) => e.node);
    expect(all.map((j) => j.status)).toEqual(["CANCELLED", "SUCCEEDED"]);
    expect(new Set(all.map((j) => j.id)).size).toBe(all.length);
    const created = all.map((j) => j.createdAt);
    expect(created).toEqual([...created].sort().reverse());

    const results = await client.coverageResults({ datasetId: "mnist:test" });
    expect(results.edges.map((e) => e.node.count)).toEqual([3000]);
    expect((await client.coverageResults({ datasetId: "mnist:train" })).edges).toHaveLength(0);
    const id = results.edges[0]!.node.id;

    const anonymous = new LacunaClient({ url: server.url });
    const refused = await anonymous.deleteCoverageResult(id).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await client.deleteCoverageResult(id)).toBe(true);
    expect((await client.coverageResults()).edges).toHaveLength(0);
    const again = await client.deleteCoverageResult(id).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: "NOT_FOUND" });
  });

  it("still exits 0 on SIGTERM with a subscriber following a running job", async () => {
    const job = await client.startCoverage({
      datasetId: "mnist:train",
      selection: { limit: 40000 },
      numObservations: 9,
    });
    const events: JobUpdate[] = [];
    const followed = (async () => {
      for await (const update of client.subscribeJob(job.id)) {
        events.push(update);
        if (events.length === 1) break;
      }
    })();
    await followed;
    const again = client.subscribeJob(job.id);
    await again.next();
    const ending = (async () => {
      const rest: JobUpdate[] = [];
      try {
        for (;;) {
          const step = await again.next();
          if (step.done) return { rest, error: undefined };
          rest.push(step.value);
        }
      } catch (error) {
        return { rest, error };
      }
    })();
    expect(await server.stop("SIGTERM")).toBe(0);
    const { rest, error } = await ending;
    // the job is cancelled on shutdown; the subscriber sees that, or the socket closing
    expect(rest.at(-1)?.status === "CANCELLED" || error !== undefined).toBe(true);
  });
});
