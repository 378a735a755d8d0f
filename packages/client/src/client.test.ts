import { describe, expect, it } from "vitest";
import { LacunaClient, LacunaError, LacunaNetworkError, type CoverageInput } from "./index.js";

type Call = {
  url: string;
  headers: Record<string, string>;
  body: { query: string; variables?: Record<string, unknown> };
};

/** A fetch that records each call and answers from a script. */
function fakeFetch(answers: ((call: Call) => Response | Promise<Response>)[]) {
  const calls: Call[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    const call = {
      url,
      headers: init.headers as Record<string, string>,
      body: JSON.parse(init.body as string) as Call["body"],
    };
    calls.push(call);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return answer(call);
  }) as unknown as typeof fetch;
  return { impl, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const SEED: CoverageInput = {
  datasetId: "mnist:train",
  selection: { limit: 2000 },
  numObservations: 20,
  percent: 0.01,
  method: "ADAPTIVE",
};

describe("LacunaClient", () => {
  it("sends typed documents with variables and the API key, and returns the object itself", async () => {
    const result = { coverageRadius: 0.6, uncovered: [{ index: 1480, label: 7 }] };
    const { impl, calls } = fakeFetch([() => json({ data: { coverage: result } })]);
    const client = new LacunaClient({
      url: "http://x/graphql",
      apiKey: "k".repeat(20),
      fetch: impl,
    });
    const r = await client.coverage(SEED, { first: 20 });
    expect(r.coverageRadius).toBe(0.6);
    expect(r.uncovered[0]!.index).toBe(1480);
    expect(calls[0]!.url).toBe("http://x/graphql");
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${"k".repeat(20)}`);
    expect(calls[0]!.body.query).toMatch(/query Coverage\(\$input: CoverageInput!/);
    expect(calls[0]!.body.variables).toMatchObject({ input: SEED, first: 20, withImages: false });
  });

  it("turns GraphQL errors into LacunaError with the server's code and argument", async () => {
    const { impl } = fakeFetch([
      () =>
        json({
          data: null,
          errors: [
            {
              message:
                "input.numObservations must be an integer k with 1 <= k <= 10000; received 0",
              extensions: { code: "BAD_USER_INPUT", argument: "input.numObservations" },
            },
          ],
        }),
    ]);
    const client = new LacunaClient({ url: "http://x/graphql", fetch: impl });
    const error = await client.coverage({ ...SEED, numObservations: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LacunaError);
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", argument: "input.numObservations" });
    expect((error as Error).message).toMatch(/received 0/);
  });

  it("tells network failures and non-GraphQL answers apart from bad input", async () => {
    const down = new LacunaClient({
      url: "http://x/graphql",
      fetch: (() => Promise.reject(new TypeError("fetch failed"))) as unknown as typeof fetch,
    });
    const error = await down.datasets().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LacunaNetworkError);
    expect(error).not.toBeInstanceOf(LacunaError);
    expect((error as Error).message).toMatch(/cannot reach http:\/\/x\/graphql: fetch failed/);

    const { impl } = fakeFetch([() => new Response("<html>bad gateway</html>", { status: 502 })]);
    const proxy = await new LacunaClient({ url: "http://x/graphql", fetch: impl })
      .datasets()
      .catch((e: unknown) => e);
    expect(proxy).toBeInstanceOf(LacunaNetworkError);
    expect((proxy as LacunaNetworkError).status).toBe(502);
  });

  it("waits for a job, reporting progress, and rejects with the job's own error code", async () => {
    const job = (status: string, progress: number, extra = {}) =>
      json({
        data: {
          job: {
            id: "j",
            kind: "coverage",
            status,
            phase: "neighbours",
            progress,
            error: null,
            ...extra,
          },
        },
      });
    const { impl } = fakeFetch([
      () => job("QUEUED", 0),
      () => job("RUNNING", 0.5),
      () => job("SUCCEEDED", 1, { result: { coverageRadius: 0.5 } }),
    ]);
    const client = new LacunaClient({ url: "http://x/graphql", fetch: impl });
    const progress: number[] = [];
    const done = await client.waitForJob("j", {
      intervalMs: 1,
      onProgress: (j) => progress.push(j.progress),
    });
    expect(progress).toEqual([0, 0.5]);
    expect(done.result.coverageRadius).toBe(0.5);

    const failing = fakeFetch([
      () => job("FAILED", 0.2, { error: { code: "INTERRUPTED", message: "the server stopped" } }),
    ]);
    const error = await new LacunaClient({ url: "http://x/graphql", fetch: failing.impl })
      .waitForJob("j", { intervalMs: 1 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "LacunaError",
      code: "INTERRUPTED",
      message: "the server stopped",
    });

    const forever = fakeFetch([() => job("RUNNING", 0.1)]);
    const controller = new AbortController();
    const waiting = new LacunaClient({ url: "http://x/graphql", fetch: forever.impl }).waitForJob(
      "j",
      {
        intervalMs: 5,
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(new Error("gave up")), 20);
    await expect(waiting).rejects.toThrow("gave up");
  });

  it("follows a projection job to its end, starts projections, pages samples and aborts on a signal", async () => {
    const job = (status: string, progress: number) =>
      json({ data: { job: { id: "p", kind: "projection", status, progress, result: null } } });
    const { impl, calls } = fakeFetch([
      () => json({ data: { startProjection: { id: "p", status: "QUEUED", progress: 0 } } }),
      () => job("RUNNING", 0.4),
      () => job("SUCCEEDED", 1),
      () => json({ data: { coverage: { id: "c", samples: [{ index: 7, radius: 0.5 }] } } }),
    ]);
    const client = new LacunaClient({ url: "http://x/graphql", fetch: impl });
    const started = await client.startProjection("mnist:test", {
      selection: { limit: 300 },
      method: "UMAP",
    });
    expect(calls[0]!.body.query).toMatch(/mutation StartProjection/);
    expect(calls[0]!.body.variables).toEqual({
      datasetId: "mnist:test",
      selection: { limit: 300 },
      method: "UMAP",
    });
    const seen: number[] = [];
    const done = await client.followJob(started.id, {
      intervalMs: 1,
      onProgress: (j) => seen.push(j.progress),
    });
    expect(seen).toEqual([0.4]);
    expect(done.status).toBe("SUCCEEDED");
    // a projection job has no coverage result: waitForJob is for coverage jobs only
    await expect(
      new LacunaClient({
        url: "http://x/graphql",
        fetch: fakeFetch([() => job("SUCCEEDED", 1)]).impl,
      }).waitForJob("p", { intervalMs: 1 }),
    ).rejects.toThrow(/succeeded without a coverage result/);
    const samples = await client.samples(SEED, [7], { imageScale: 3 });
    expect(samples).toEqual([{ index: 7, radius: 0.5 }]);
    expect(calls[3]!.body.variables).toEqual({
      input: SEED,
      indices: [7],
      withImages: true,
      imageScale: 3,
    });
    // a signal aborts the fetch itself, so a superseded request stops at once
    const never = (async (_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason as Error)),
      )) as unknown as typeof fetch;
    const controller = new AbortController();
    const pending = new LacunaClient({ url: "http://x/graphql", fetch: never }).projection(
      "mnist:test",
      { signal: controller.signal },
    );
    controller.abort(new Error("superseded"));
    await expect(pending).rejects.toThrow("superseded");
  });

  it("exports the schema's enums as values, for forms to list", async () => {
    const { CoverageMethod, ProjectionMethod, JobStatus } = await import("./index.js");
    expect(Object.values(CoverageMethod)).toEqual(["ADAPTIVE", "NAIVE"]);
    expect(Object.values(ProjectionMethod).sort()).toEqual(["PCA", "TSNE", "UMAP"]);
    expect(Object.values(JobStatus)).toContain("CANCELLED");
  });

  it("checks its options and decodes base64 embeddings", () => {
    expect(() => new LacunaClient({ url: "" })).toThrow(/needs \{ url \}/);
    const values = new Float32Array([0.25, 0.5, 1, 0]);
    const base64 = Buffer.from(values.buffer).toString("base64");
    expect(Array.from(LacunaClient.decodeEmbeddings({ base64, count: 2, dimensions: 2 }))).toEqual([
      0.25, 0.5, 1, 0,
    ]);
    expect(() => LacunaClient.decodeEmbeddings({ base64, count: 3, dimensions: 2 })).toThrow(
      /expected 3 x 2/,
    );
  });

  it("is typed by the schema: a misspelt field does not compile", async () => {
    const { impl } = fakeFetch([
      () => json({ data: { coverage: { coverageRadius: 1, uncovered: [] } } }),
    ]);
    const r = await new LacunaClient({ url: "http://x/graphql", fetch: impl }).coverage(SEED);
    // @ts-expect-error coverageRadiuss is not a field of CoverageResult
    expect(r.coverageRadiuss).toBeUndefined();
    // @ts-expect-error method is a union of the schema's enum values
    const bad: CoverageInput = { datasetId: "x", method: "adaptive" };
    expect(bad.datasetId).toBe("x");
  });
});
