import { LacunaClient } from "@lacuna/client";
import { describe, expect, it } from "vitest";
import { SEED_CONTROLS } from "./controls.js";
import { Run } from "./runner.js";

/** A server stand-in: jobs that run until cancelled; records every operation and cancel. */
function fakeServer(options: { startDelayMs?: number } = {}) {
  const cancelled: string[] = [];
  const operations: string[] = [];
  let next = 0;
  const json = (data: unknown) =>
    new Response(JSON.stringify({ data }), { headers: { "content-type": "application/json" } });
  const fetch = (async (_url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string) as { query: string; variables: { id?: string } };
    const name = /(?:query|mutation) (\w+)/.exec(body.query)![1]!;
    operations.push(name);
    const job = (id: string, status: string) => ({
      id,
      kind: "k",
      status,
      phase: "running",
      progress: 0.5,
      error: null,
      result: null,
    });
    if (name === "StartCoverage" || name === "StartProjection") {
      await new Promise((resolve) => setTimeout(resolve, options.startDelayMs ?? 0));
      const key = name === "StartCoverage" ? "startCoverage" : "startProjection";
      return json({ [key]: job(`${name}-${next++}`, "RUNNING") });
    }
    if (name === "CancelJob") {
      cancelled.push(body.variables.id!);
      return json({ cancelJob: job(body.variables.id!, "CANCELLED") });
    }
    if (name === "Job") {
      if (init.signal?.aborted) throw init.signal.reason as Error;
      return json({ job: job(body.variables.id!, "RUNNING") });
    }
    throw new Error(`unexpected ${name}`);
  }) as unknown as typeof globalThis.fetch;
  return { client: new LacunaClient({ url: "http://x/graphql", fetch }), cancelled, operations };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Run", () => {
  it("a superseded run stops polling and cancels its jobs on the server", async () => {
    const server = fakeServer();
    const run = new Run(SEED_CONTROLS, server.client);
    const phases: string[] = [];
    const coverage = run.coverage((phase) => phases.push(phase));
    const projection = run.projection(() => undefined);
    await settle(30);
    expect(phases).toContain("running");
    run.stop({ ...SEED_CONTROLS, k: 5, projection: "UMAP" }, (e) => {
      throw e;
    });
    await expect(coverage).rejects.toThrow(/superseded/);
    await expect(projection).rejects.toThrow(/superseded/);
    await settle(10);
    expect(server.cancelled.sort()).toEqual(["StartCoverage-0", "StartProjection-1"]);
    expect(run.isStopped).toBe(true);
  });

  it("leaves alone a job the next run shares (identical requests share one job)", async () => {
    const server = fakeServer();
    const run = new Run(SEED_CONTROLS, server.client);
    const coverage = run.coverage(() => undefined).catch((e: unknown) => e);
    const projection = run.projection(() => undefined).catch((e: unknown) => e);
    await settle(30);
    // only the projection changes: the coverage job is the next run's too
    run.stop({ ...SEED_CONTROLS, projection: "PCA" }, () => undefined);
    await Promise.all([coverage, projection]);
    await settle(10);
    expect(server.cancelled).toEqual(["StartProjection-1"]);
  });

  it("cancels a job whose id arrives after the run was stopped", async () => {
    const server = fakeServer({ startDelayMs: 40 });
    const run = new Run(SEED_CONTROLS, server.client);
    const coverage = run.coverage(() => undefined).catch((e: unknown) => e);
    await settle(5);
    run.stop(null, () => undefined);
    expect(server.cancelled).toEqual([]);
    expect(await coverage).toBeInstanceOf(Error);
    await settle(10);
    expect(server.cancelled).toEqual(["StartCoverage-0"]);
    expect(server.operations).not.toContain("Job");
  });
});
