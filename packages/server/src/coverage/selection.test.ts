/**
 * A stored coverage result carries its selection (issue 19): the history lists it, and the
 * CoverageInput rebuilt from a listed result reopens that very result.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomEmbeddings } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import { type Harness, createHarness } from "../testing/harness.js";

let root: string;
let h: Harness;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lacuna-selection-"));
  await writeFile(join(root, "e.npy"), encodeNpy(randomEmbeddings(300, 4, 3).data, [300, 4]));
  const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);
  await writeFile(join(root, "e.labels.npy"), encodeNpy(labels, [300]));
  h = await createHarness({ LACUNA_DATA_ROOTS: root });
  const r = await h.run(
    `mutation { registerDataset(input: { id: "e", kind: EMBEDDINGS, path: "e.npy", labels: "e.labels.npy" }) { id } }`,
  );
  expect(r.errors).toBeUndefined();
});
afterAll(async () => {
  await h.close();
  await rm(root, { recursive: true, force: true });
});

interface Listed {
  coverageResults: {
    edges: {
      node: {
        id: string;
        datasetId: string;
        method: string;
        numObservations: number;
        percent: number;
        forceUnitInterval: boolean;
        selection: { limit: number | null; classes: number[] | null; indexCount: number | null };
      };
    }[];
  };
}

const LIST = `{ coverageResults(datasetId: "e") { edges { node {
  id datasetId method numObservations percent forceUnitInterval
  selection { limit classes indexCount } } } } }`;

describe("CoverageResult.selection", () => {
  it("lists each stored result's selection, and the input rebuilt from it reopens the result", async () => {
    const computed = new Map<string, string>();
    for (const selection of [
      "{ limit: 120 }",
      "{ limit: 90, classes: [2, 0] }",
      "{ indices: [5, 9, 1, 7, 3, 11, 13, 2, 4, 6, 8, 10] }",
    ]) {
      const r = await h.run<{ coverage: { id: string } }>(
        `{ coverage(input: { datasetId: "e", selection: ${selection}, numObservations: 3, percent: 0.1 }) { id } }`,
      );
      expect(r.errors).toBeUndefined();
      computed.set(selection, r.data!.coverage.id);
    }
    const listed = (await h.run<Listed>(LIST)).data!.coverageResults.edges.map((e) => e.node);
    expect(listed).toHaveLength(3);
    const byId = new Map(listed.map((n) => [n.id, n]));
    expect(byId.get(computed.get("{ limit: 120 }")!)!.selection).toEqual({
      limit: 120,
      classes: null,
      indexCount: null,
    });
    expect(byId.get(computed.get("{ limit: 90, classes: [2, 0] }")!)!.selection).toMatchObject({
      limit: 90,
      indexCount: null,
    });
    expect(
      [...byId.get(computed.get("{ limit: 90, classes: [2, 0] }")!)!.selection.classes!].sort(),
    ).toEqual([0, 2]);
    const listedIndices = byId.get(
      computed.get("{ indices: [5, 9, 1, 7, 3, 11, 13, 2, 4, 6, 8, 10] }")!,
    )!;
    expect(listedIndices.selection).toEqual({ limit: null, classes: null, indexCount: 12 });
    // what a dashboard does with a listed result: the same request again, answered from the store
    for (const node of listed.filter((n) => n.selection.indexCount === null)) {
      const { limit, classes } = node.selection;
      const reopened = await h.run<{ coverage: { id: string; cached: boolean } }>(
        `query ($input: CoverageInput!) { coverage(input: $input) { id cached } }`,
        {
          input: {
            datasetId: node.datasetId,
            selection: { limit, classes },
            method: node.method,
            numObservations: node.numObservations,
            percent: node.percent,
            forceUnitInterval: node.forceUnitInterval,
          },
        },
      );
      expect(reopened.errors).toBeUndefined();
      expect(reopened.data!.coverage).toEqual({ id: node.id, cached: true });
    }
  });
});
