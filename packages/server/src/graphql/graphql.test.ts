import {
  completeness,
  coverageAdaptiveFromRadii,
  criticalValueRadii,
  explainSample,
  perClassStatistics,
} from "@lacuna/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Harness, createHarness } from "../testing/harness.js";

const SEED = `query Seed { coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 }, numObservations: 20, percent: 0.01, method: ADAPTIVE }) { coverageRadius uncovered { index label radius } } }`;

interface Seed {
  coverage: {
    coverageRadius: number;
    uncovered: { index: number; label: number; radius: number }[];
  };
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

function expectCode(
  result: { errors?: readonly { message: string; extensions?: Record<string, unknown> }[] },
  code: string,
) {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  const [error] = result.errors!;
  expect(error!.extensions?.code).toBe(code);
  expect(JSON.stringify(error)).not.toMatch(/\bat .+:\d+:\d+|stacktrace/i);
  return error!;
}

describe("GraphQL schema", () => {
  it("lists the built-in datasets", async () => {
    const result = await h.run<{ datasets: { id: string }[] }>("{ datasets { id } }");
    expect(result.errors).toBeUndefined();
    expect(result.data!.datasets.map((d) => d.id)).toEqual(["mnist:train", "mnist:test"]);
    const one = await h.run<{
      dataset: { size: number; imageShape: number[]; classes: { count: number }[] };
    }>(`{ dataset(id: "mnist:test") { size imageShape classes { index name count } } }`);
    expect(one.data!.dataset.size).toBe(10_000);
    expect(one.data!.dataset.imageShape).toEqual([28, 28, 1]);
    expect(one.data!.dataset.classes.reduce((a, c) => a + c.count, 0)).toBe(10_000);
  });

  it("answers the seed query verbatim, as core computes it, and serves it again from the store", async () => {
    const computeRadii = vi.spyOn(h.lacuna.pool, "computeRadii");
    const result = await h.run<Seed>(SEED);
    expect(result.errors).toBeUndefined();
    const { coverageRadius, uncovered } = result.data!.coverage;
    expect(uncovered).toHaveLength(20);
    const twosAndSevens = uncovered.filter((s) => s.label === 2 || s.label === 7).length;
    expect(twosAndSevens / 20).toBeGreaterThan(0.4);
    // the same numbers straight from core on the same embeddings
    const resolved = await h.lacuna.services.embeddings.resolve({
      datasetId: "mnist:train",
      selection: { limit: 2000 },
    });
    const radii = criticalValueRadii(resolved.embeddings, 20);
    const order = Array.from(radii.keys()).sort((a, b) => radii[b]! - radii[a]! || a - b);
    expect(uncovered.map((s) => s.index)).toEqual(order.slice(0, 20));
    for (const s of uncovered) expect(s.radius).toBe(radii[s.index]);
    expect(coverageRadius).toBe(coverageAdaptiveFromRadii(radii, 0.01).coverageRadius);
    expect(computeRadii).toHaveBeenCalledTimes(1);
    const again = await h.run<{ coverage: { cached: boolean; coverageRadius: number } }>(
      `{ coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 } }) { cached coverageRadius } }`,
    );
    expect(again.data!.coverage).toEqual({ cached: true, coverageRadius });
    expect(computeRadii).toHaveBeenCalledTimes(1);
    computeRadii.mockRestore();
  });

  it("explains the seed result: per-class rows, statistics and each sample's neighbours, as core computes them", async () => {
    const result = await h.run<{
      coverage: {
        perClass: {
          class: number;
          className: string;
          count: number;
          uncovered: number;
          dispersion: number | null;
          assessable: boolean;
        }[];
        statistics: { completeness: number; isotropy: number };
        uncovered: {
          index: number;
          rank: number;
          exceedsCoverageRadius: boolean;
          neighbours: { index: number; label: number; distance: number }[];
        }[];
        sample: { index: number; rank: number; exceedsCoverageRadius: boolean; radius: number };
      };
    }>(
      `{ coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 } }) {
          perClass { class className count uncovered uncoveredFraction dispersion isotropy nearDuplicateFraction assessable }
          statistics { completeness isotropy effectiveDimension rank }
          uncovered(first: 3) { index rank exceedsCoverageRadius neighbours { index label labelName distance } }
          sample(index: 0) { index rank exceedsCoverageRadius radius }
      } }`,
    );
    expect(result.errors).toBeUndefined();
    const { perClass, statistics, uncovered, sample } = result.data!.coverage;
    const resolved = await h.lacuna.services.embeddings.resolve({
      datasetId: "mnist:train",
      selection: { limit: 2000 },
    });
    const radii = criticalValueRadii(resolved.embeddings, 20);
    const { uncoveredIndices, coverageRadius } = coverageAdaptiveFromRadii(radii, 0.01);
    const rows = perClassStatistics(resolved.embeddings, resolved.labels!, uncoveredIndices);
    expect(perClass.map((r) => [r.class, r.count, r.uncovered, r.dispersion])).toEqual(
      rows.map((r) => [r.class, r.count, r.uncovered, r.dispersion]),
    );
    expect(perClass.reduce((a, r) => a + r.uncovered, 0)).toBe(20);
    expect(perClass.find((r) => r.class === 7)!.className).toBe("7");
    expect(statistics.completeness).toBe(completeness(resolved.embeddings).completeness);
    uncovered.forEach((s, i) => {
      const why = explainSample(resolved.embeddings, s.index, 20, radii, coverageRadius);
      expect(s.rank).toBe(i + 1);
      expect(s.exceedsCoverageRadius).toBe(true);
      expect(s.neighbours.map((n) => n.index)).toEqual(Array.from(why.neighbours));
      expect(s.neighbours.map((n) => n.distance)).toEqual(Array.from(why.distances));
      expect(s.neighbours[19]!.distance).toBe(radii[s.index]);
    });
    expect(sample).toMatchObject({ index: 0, exceedsCoverageRadius: false, radius: radii[0] });
    const outside = await h.run(
      `{ coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 } }) { sample(index: 5000) { rank } } }`,
    );
    expectCode(outside, "BAD_USER_INPUT");
  });

  it("projects a selection to 2-D, deterministically, cached on disk, with labels", async () => {
    type P = {
      projection: {
        count: number;
        coordinates: number[];
        labels: number[];
        indices: number[];
        cached: boolean;
      };
    };
    const query = (method: string, seed = 0) =>
      `{ projection(datasetId: "mnist:test", selection: { limit: 300 }, method: ${method}, seed: ${seed}) { count coordinates labels indices cached } }`;
    const first = await h.run<P>(query("TSNE"));
    expect(first.errors).toBeUndefined();
    const p = first.data!.projection;
    expect(p.count).toBe(300);
    expect(p.coordinates).toHaveLength(600);
    expect(p.coordinates.every(Number.isFinite)).toBe(true);
    expect(p.labels.slice(0, 3)).toEqual([7, 2, 1]);
    expect(p.cached).toBe(false);
    const again = await h.run<P>(query("TSNE"));
    expect(again.data!.projection.cached).toBe(true);
    expect(again.data!.projection.coordinates).toEqual(p.coordinates);
    const other = await h.run<P>(query("TSNE", 7));
    expect(other.data!.projection.coordinates).not.toEqual(p.coordinates);
    // PCA equals the worker's own, rounded to float32 like every served projection
    const pca = await h.run<P>(query("PCA"));
    const resolved = await h.lacuna.services.embeddings.resolve({
      datasetId: "mnist:test",
      selection: { limit: 300 },
    });
    const direct = await h.lacuna.pool.project(resolved.embeddings, "pca");
    expect(pca.data!.projection.coordinates).toEqual(
      Array.from(Float32Array.from(direct.coordinates)),
    );
    expectCode(await h.run(query("PCA", -1)), "BAD_USER_INPUT");
    expectCode(
      await h.run(`{ projection(datasetId: "mnist:test", selection: { limit: 2 }) { count } }`),
      "BAD_USER_INPUT",
    );
  });

  it("returns images as PNG data URLs, scaled on request", async () => {
    const result = await h.run<{
      sample: { label: number; labelName: string; image: string; big: string };
    }>(
      `{ sample(datasetId: "mnist:train", index: 0) { label labelName image big: image(scale: 4) } }`,
    );
    expect(result.errors).toBeUndefined();
    const { sample } = result.data!;
    expect(sample.label).toBe(5);
    expect(sample.labelName).toBe("5");
    const png = (url: string) => Buffer.from(url.replace(/^data:image\/png;base64,/, ""), "base64");
    // width and height sit at bytes 16-23 of a PNG's IHDR
    expect(png(sample.image).readUInt32BE(16)).toBe(28);
    expect(png(sample.big).readUInt32BE(16)).toBe(112);
  });

  it.each([
    ["numObservations: 0", "input.numObservations", /1 <= k <= 10000.*received 0/],
    ["numObservations: -3", "input.numObservations", /received -3/],
    ["numObservations: 20000", "input.numObservations", /received 20000/],
    ["percent: 0", "input.percent", /0 < percent <= 1; received 0/],
    ["percent: 1.5", "input.percent", /received 1.5/],
    ["percent: -0.1", "input.percent", /received -0.1/],
    ["selection: { limit: 0 }", "selection.limit", /integer >= 1; received 0/],
    [
      "selection: { limit: 10 }, numObservations: 20",
      "input.numObservations",
      /selected samples \(10\).*k <= 9/,
    ],
    ["selection: { indices: [0, 70000] }", "selection", /\[0, 59999\]; received 70000/],
    ["selection: { indices: [3, 3] }", "selection", /repeats index 3/],
    ["selection: { classes: [12] }", "selection", /\[0, 9\]; received 12/],
    ['model: "../../etc"', "model", /installed model/],
  ])("refuses %s with BAD_USER_INPUT naming %s", async (args, argument, message) => {
    const result = await h.run(
      `{ coverage(input: { datasetId: "mnist:train", ${args} }) { coverageRadius } }`,
    );
    const error = expectCode(result, "BAD_USER_INPUT");
    expect(error.extensions?.argument).toBe(argument);
    expect(error.message).toMatch(message);
  });

  it("refuses an unknown model, dataset, job and a sample out of range with codes", async () => {
    const model = expectCode(
      await h.run(
        `{ coverage(input: { datasetId: "mnist:train", model: "nope" }) { coverageRadius } }`,
      ),
      "BAD_USER_INPUT",
    );
    // io's one model error, as the CLI's: names the argument, not the server's models folder
    expect(model.extensions?.argument).toBe("model");
    expect(model.extensions?.reason).toBe("INVALID_MODEL");
    expect(model.message).toBe(
      'model must be an installed model such as "mnist-ae" (a folder under the models directory, LACUNA_MODELS_DIR); received "nope"',
    );
    const missing = expectCode(
      await h.run(`{ coverage(input: { datasetId: "cifar" }) { coverageRadius } }`),
      "NOT_FOUND",
    );
    expect(missing.message).toMatch(/no dataset "cifar"; known: mnist:train, mnist:test/);
    expectCode(await h.run(`{ job(id: "nope") { status } }`), "NOT_FOUND");
    expectCode(
      await h.run(`{ sample(datasetId: "mnist:test", index: 10000) { label } }`),
      "BAD_USER_INPUT",
    );
    const paged = `query ($first: Int) { coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 } }) { uncovered(first: $first) { index } } }`;
    expectCode(await h.run(paged, { first: 5000 }), "BAD_USER_INPUT");
    expectCode(await h.run(paged, { first: -1 }), "BAD_USER_INPUT");
    // a literal that large is already refused by the cost limit, before any resolver runs
    expectCode(
      await h.run(
        `{ coverage(input: { datasetId: "mnist:train" }) { uncovered(first: 5000) { index } } }`,
      ),
      "GRAPHQL_VALIDATION_FAILED",
    );
    expectCode(
      await h.run(
        `{ coverage(input: { datasetId: "mnist:train", percent: "x" }) { coverageRadius } }`,
      ),
      "GRAPHQL_VALIDATION_FAILED",
    );
    expectCode(
      await h.run(`{ coverage(input: { datasetId: "mnist:train" }) { nope } }`),
      "GRAPHQL_VALIDATION_FAILED",
    );
  });

  it("computes a crowd of identical requests once", async () => {
    const computeRadii = vi.spyOn(h.lacuna.pool, "computeRadii");
    const query = `{ coverage(input: { datasetId: "mnist:test", selection: { limit: 1500 }, numObservations: 10 }) { coverageRadius uncoveredCount } }`;
    const results = await Promise.all(Array.from({ length: 12 }, () => h.run(query)));
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]!.errors).toBeUndefined();
    expect(
      computeRadii,
      JSON.stringify(computeRadii.mock.calls.map((c) => [c[0].n, c[1]])),
    ).toHaveBeenCalledTimes(1);
    computeRadii.mockRestore();
  });

  it("runs jobs: start, progress, result; cancel; a finished request starts as SUCCEEDED", async () => {
    const start = (limit: number) =>
      h.run<{ startCoverage: { id: string; status: string } }>(
        `mutation { startCoverage(input: { datasetId: "mnist:test", selection: { limit: ${limit} }, numObservations: 5 }) { id status } }`,
      );
    const started = await start(800);
    expect(started.errors).toBeUndefined();
    const { id } = started.data!.startCoverage;
    const seen = new Set<string>();
    let job:
      { status: string; progress: number; result: { uncoveredCount: number } | null } | undefined;
    for (let i = 0; i < 600; i++) {
      const r = await h.run<{ job: NonNullable<typeof job> }>(
        `{ job(id: "${id}") { status progress result { uncoveredCount } } }`,
      );
      job = r.data!.job;
      seen.add(job.status);
      if (job.status === "SUCCEEDED" || job.status === "FAILED") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(job!.status).toBe("SUCCEEDED");
    expect(job!.progress).toBe(1);
    expect(job!.result!.uncoveredCount).toBe(8);
    const again = await start(800);
    expect(again.data!.startCoverage.status).toBe("SUCCEEDED");

    const big = await h.run<{ startCoverage: { id: string } }>(
      `mutation { startCoverage(input: { datasetId: "mnist:train", selection: { limit: 40000 } }) { id } }`,
    );
    const bigId = big.data!.startCoverage.id;
    const cancelled = await h.run<{ cancelJob: { id: string } }>(
      `mutation { cancelJob(id: "${bigId}") { id } }`,
    );
    expect(cancelled.errors).toBeUndefined();
    const final = await h.lacuna.services.jobs.wait(bigId);
    expect(final.status).toBe("CANCELLED");
    expect(final.error?.code).toBe("CANCELLED");
  });
});

describe("two jobs sharing one encoding", () => {
  let two: Harness;
  beforeAll(async () => {
    two = await createHarness({ LACUNA_MAX_JOBS: "2" });
  });
  afterAll(async () => {
    await two.close();
  });

  it("cancelling one leaves the other running to its result", async () => {
    const start = (k: number) =>
      two.run<{ startCoverage: { id: string } }>(
        `mutation { startCoverage(input: { datasetId: "mnist:train", selection: { limit: 6000 }, numObservations: ${k} }) { id } }`,
      );
    const a = (await start(5)).data!.startCoverage.id;
    const b = (await start(6)).data!.startCoverage.id;
    // both wait on the same encoding of the 6000 images
    await new Promise((resolve) => setTimeout(resolve, 100));
    const cancelled = await two.run<{ cancelJob: { status: string } }>(
      `mutation { cancelJob(id: "${a}") { status } }`,
    );
    expect(cancelled.data!.cancelJob.status).toBe("CANCELLED");
    const [doneA, doneB] = await Promise.all([
      two.lacuna.services.jobs.wait(a),
      two.lacuna.services.jobs.wait(b),
    ]);
    expect(doneA.status).toBe("CANCELLED");
    expect(doneB.status).toBe("SUCCEEDED");
  });
});

describe("API key", () => {
  let keyed: Harness;
  beforeAll(async () => {
    keyed = await createHarness({ LACUNA_API_KEY: "a-long-enough-test-key" });
  });
  afterAll(async () => {
    await keyed.close();
  });

  it("guards every operation, queries that compute included", async () => {
    const input = `{ datasetId: "mnist:test", selection: { limit: 100 }, numObservations: 5 }`;
    expectCode(
      await keyed.run(`mutation { startCoverage(input: ${input}) { id } }`, {}, false),
      "UNAUTHENTICATED",
    );
    expectCode(
      await keyed.run(`mutation { cancelJob(id: "x") { id } }`, {}, false),
      "UNAUTHENTICATED",
    );
    expectCode(
      await keyed.run(`mutation { removeDataset(id: "x") }`, {}, false),
      "UNAUTHENTICATED",
    );
    expectCode(
      await keyed.run(
        `mutation { registerDataset(input: { id: "x", kind: EMBEDDINGS, path: "x.npy" }) { id } }`,
        {},
        false,
      ),
      "UNAUTHENTICATED",
    );
    for (const query of [
      `{ datasets { id } }`,
      `{ coverage(input: ${input}) { coverageRadius } }`,
      `{ version }`,
    ])
      expectCode(await keyed.run(query, {}, false), "UNAUTHENTICATED");
    expect((await keyed.run(`{ datasets { id } }`, {}, true)).errors).toBeUndefined();
    expect(
      (await keyed.run(`mutation { startCoverage(input: ${input}) { id } }`, {}, true)).errors,
    ).toBeUndefined();
  });
});
