/** The projection's sample limit: t-SNE and UMAP have one (their cost), PCA none (it is linear). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, createHarness } from "../testing/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ LACUNA_MAX_PROJECTION_SAMPLES: "50" });
});
afterAll(async () => {
  await h.close();
});

describe("projection sample limit", () => {
  it("refuses t-SNE and UMAP of more samples than LACUNA_MAX_PROJECTION_SAMPLES, saying PCA has none", async () => {
    for (const method of ["TSNE", "UMAP"]) {
      const result = await h.run(
        `{ projection(datasetId: "mnist:test", selection: { limit: 51 }, method: ${method}) { count } }`,
      );
      expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0]?.message).toMatch(
        /at most 50 samples to project with t-SNE or UMAP .*PCA has no limit/,
      );
    }
  });

  it("projects any number of samples with PCA, over the limit too", async () => {
    const result = await h.run(
      `{ projection(datasetId: "mnist:test", selection: { limit: 80 }, method: PCA) { count indices coordinates } }`,
    );
    expect(result.errors).toBeUndefined();
    const projection = (
      result.data as { projection: { count: number; indices: number[]; coordinates: number[] } }
    ).projection;
    expect(projection.count).toBe(80);
    expect(projection.indices).toEqual(Array.from({ length: 80 }, (_, i) => i));
    expect(projection.coordinates).toHaveLength(160);
    expect(projection.coordinates.every(Number.isFinite)).toBe(true);
  });

  it("projects a listed subsample with t-SNE within the limit", async () => {
    const indices = Array.from({ length: 40 }, (_, i) => 3 * i);
    const result = await h.run(
      `query($indices: [Int!]) { projection(datasetId: "mnist:test", selection: { indices: $indices }, method: TSNE) { count indices } }`,
      { indices },
    );
    expect(result.errors).toBeUndefined();
    expect((result.data as { projection: { indices: number[] } }).projection.indices).toEqual(
      indices,
    );
  });
});
