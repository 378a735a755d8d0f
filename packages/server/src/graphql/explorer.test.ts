/**
 * The fields the dashboard's explorer reads: a result's labels, any page of its samples by index,
 * and projections started as jobs (progress, cancel) and read back from the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, createHarness } from "../testing/harness.js";

const INPUT = `{ datasetId: "mnist:test", selection: { limit: 300 }, numObservations: 5, percent: 0.1 }`;

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

interface Job {
  id: string;
  kind: string;
  status: string;
  progress: number;
  result: unknown;
}

describe("explorer fields", () => {
  it("labels each row, and pages samples by dataset index in the order asked, with radii", async () => {
    const result = await h.run<{
      coverage: {
        indices: number[];
        labels: (number | null)[];
        criticalValueRadii: number[];
        samples: { index: number; label: number; radius: number }[];
      };
    }>(
      `{ coverage(input: ${INPUT}) { indices labels criticalValueRadii samples(indices: [299, 3, 3, 0]) { index label radius } } }`,
    );
    expect(result.errors).toBeUndefined();
    const c = result.data!.coverage;
    expect(c.labels).toHaveLength(300);
    const dataset = await h.lacuna.services.datasets.load("mnist:test");
    expect(c.labels).toEqual(c.indices.map((i) => dataset.labels![i]));
    expect(c.samples.map((s) => s.index)).toEqual([299, 3, 3, 0]);
    for (const s of c.samples) {
      expect(s.radius).toBe(c.criticalValueRadii[c.indices.indexOf(s.index)]);
      expect(s.label).toBe(dataset.labels![s.index]);
    }
  });

  it("refuses an index outside the selection and more than a page of indices", async () => {
    const outside = await h.run(
      `{ coverage(input: ${INPUT}) { samples(indices: [300]) { index } } }`,
    );
    expect(outside.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(outside.errors?.[0]?.extensions?.argument).toBe("indices");
    const many = await h.run(
      `query ($i: [Int!]!) { coverage(input: ${INPUT}) { samples(indices: $i) { index } } }`,
      {
        i: Array.from({ length: 1001 }, (_, i) => i % 300),
      },
    );
    expect(many.errors?.[0]?.message).toMatch(/indices must be at most 1000 indices/);
  });

  it("starts a projection as a job that can be followed, then reads it from the cache", async () => {
    const args = `datasetId: "mnist:test", selection: { limit: 120 }, method: PCA, seed: 3`;
    const started = await h.run<{ startProjection: Job }>(
      `mutation { startProjection(${args}) { id kind status progress result { id } } }`,
    );
    expect(started.errors).toBeUndefined();
    const job = started.data!.startProjection;
    expect(job.kind).toBe("projection");
    await h.lacuna.services.jobs.wait(job.id);
    const done = await h.run<{ job: Job }>(
      `{ job(id: "${job.id}") { status progress result { id } } }`,
    );
    expect(done.data!.job).toMatchObject({ status: "SUCCEEDED", progress: 1, result: null });
    const read = await h.run<{ projection: { cached: boolean; count: number } }>(
      `{ projection(${args}) { cached count } }`,
    );
    expect(read.data!.projection).toEqual({ cached: true, count: 120 });
    // started again once cached: a finished job at once
    const again = await h.run<{ startProjection: Job }>(
      `mutation { startProjection(${args}) { status progress } }`,
    );
    expect(again.data!.startProjection).toMatchObject({ status: "SUCCEEDED", progress: 1 });
  });

  it("cancels a started projection through cancelJob", async () => {
    const started = await h.run<{ startProjection: Job }>(
      `mutation { startProjection(datasetId: "mnist:test", selection: { limit: 400 }, method: TSNE, seed: 9) { id } }`,
    );
    const { id } = started.data!.startProjection;
    const cancelled = await h.run<{ cancelJob: Job }>(
      `mutation { cancelJob(id: "${id}") { status } }`,
    );
    expect(cancelled.data!.cancelJob.status).toBe("CANCELLED");
    const view = await h.lacuna.services.jobs.wait(id);
    expect(view.status).toBe("CANCELLED");
  });

  it("needs the API key to start a projection when the server has one", async () => {
    const result = await h.run(
      `mutation { startProjection(datasetId: "mnist:test", selection: { limit: 50 }) { id } }`,
      undefined,
      false,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
