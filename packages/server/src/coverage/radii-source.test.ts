import { KnnPool } from "@lacuna/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.js";
import type { RadiiSource } from "./service.js";

const INPUT = {
  datasetId: "mnist:train",
  selection: { limit: 300 },
  numObservations: 5,
  percent: 0.05,
  method: "ADAPTIVE" as const,
};

/**
 * The one injection point of `lacuna serve --redis`: coverage takes its radii from the RadiiSource
 * it was given (the cluster's coordinator) instead of its pool, with the job's signal and progress.
 */
describe("a coverage service given a radii source", () => {
  const calls: { n: number; k: number; signal: boolean }[] = [];
  const pool = new KnnPool({ threads: 1 });
  const source: RadiiSource = {
    async computeRadii(embeddings, k, options) {
      calls.push({ n: embeddings.n, k, signal: options.signal instanceof AbortSignal });
      const { radii } = await pool.computeRadii(embeddings, k, { backend: "cpu" });
      options.onProgress?.(embeddings.n, embeddings.n);
      return { radii, detail: "computed by the injected source" };
    },
  };
  let injected: Harness;
  let plain: Harness;
  beforeAll(async () => {
    injected = await createHarness({}, undefined, { radii: source });
    plain = await createHarness();
  });
  afterAll(async () => {
    await injected?.close();
    await plain?.close();
    await pool.close();
  });

  it("computes with the source, and stores what the pool would have", async () => {
    const { record } = await injected.lacuna.services.coverage.coverage(INPUT);
    expect(calls).toEqual([{ n: 300, k: 5, signal: true }]);
    expect(record.backend).toBe("computed by the injected source");
    const alone = await plain.lacuna.services.coverage.coverage(INPUT);
    expect(alone.record.backend).not.toBe(record.backend);
    expect(Array.from(record.radii)).toEqual(Array.from(alone.record.radii));
    expect(record.coverageRadius).toBe(alone.record.coverageRadius);
  });
});
