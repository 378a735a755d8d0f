/**
 * Issue 17 end to end: the real `lacuna serve` process on MNIST, driven only through
 * @lacuna/client (cross coverage, gap regions, collect, downloads), checked against @lacuna/core
 * on the embeddings the server used.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collect, createEmbeddings, crossCoverage } from "@lacuna/core";
import { type CrossCoverageInput, LacunaClient } from "@lacuna/client";
import { type ServerProcess, startServerProcess } from "@lacuna/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REFERENCE = { datasetId: "mnist:train", selection: { limit: 1000 } };
const QUERY = { datasetId: "mnist:test", selection: { limit: 300 } };
const POOL = {
  datasetId: "mnist:train",
  selection: { indices: Array.from({ length: 500 }, (_, i) => 1000 + i) },
};

let dataDir: string;
let server: ServerProcess;
let client: LacunaClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "lacuna-e2e-cross-"));
  server = await startServerProcess(dataDir);
  client = new LacunaClient({ url: server.url });
});
afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function embeddings(set: { datasetId: string; selection: object }) {
  const e = await client.embeddings(set.datasetId, { selection: set.selection, base64: true });
  return createEmbeddings(LacunaClient.decodeEmbeddings(e), e.count, e.dimensions);
}

describe("issue 17 through the client", () => {
  it("cross coverage of MNIST test by train: core's numbers, regions, nearest images, a download", async () => {
    const input: CrossCoverageInput = {
      reference: REFERENCE,
      query: QUERY,
      numObservations: 10,
      percent: 0.02,
    };
    const r = await client.crossCoverage(input, { images: true, nearest: 3 });
    const expected = crossCoverage(await embeddings(REFERENCE), await embeddings(QUERY), {
      k: 10,
      percent: 0.02,
    });
    expect(r.coverageRadius).toBe(expected.coverageRadius);
    expect(r.criticalValueRadii).toEqual(Array.from(expected.criticalValueRadii));
    expect(r.uncoveredIndices).toEqual(Array.from(expected.uncoveredIndices));
    expect(r.uncoveredCount).toBeGreaterThan(0);
    for (const u of r.uncovered) {
      expect(u.sample.image).toMatch(/^data:image\/png;base64,/);
      expect(u.nearest).toHaveLength(3);
      expect(u.nearest[0]!.distance).toBeLessThanOrEqual(u.radius);
    }
    expect(r.perClass!.reduce((a, c) => a + c.uncovered, 0)).toBe(r.uncoveredCount);
    expect(r.gapRegions.reduce((a, g) => a + g.size, 0)).toBe(r.uncoveredCount);
    const csv = await client.download("cross", r.id);
    expect(csv.trimEnd().split("\n")).toHaveLength(1 + r.uncoveredCount);
    expect((await client.crossCoverage(input)).cached).toBe(true);
  });

  it("collect from the rest of train: core's picks and deficits; the list as Label Studio tasks", async () => {
    const r = await client.collect({
      reference: REFERENCE,
      pool: POOL,
      budget: 20,
      numObservations: 10,
      percent: 0.02,
    });
    const expected = collect(await embeddings(REFERENCE), await embeddings(POOL), 20, {
      k: 10,
      percent: 0.02,
    });
    expect(r.selected).toEqual(Array.from(expected.selected));
    expect(r.selected.length).toBeGreaterThan(0);
    expect(r.selectedIndices).toEqual(r.selected.map((row) => 1000 + row));
    expect([r.deficitBefore, r.deficitAfter]).toEqual([
      expected.deficitBefore,
      expected.deficitAfter,
    ]);
    expect(r.recomputed.resolved).toBe(expected.recomputed.resolved);
    const tasks = JSON.parse(
      await client.download("collect", r.id, { format: "label-studio", image: "/img/{index}.png" }),
    ) as { data: { image: string } }[];
    expect(tasks.map((t) => t.data.image)).toEqual(r.selectedIndices.map((i) => `/img/${i}.png`));
  });

  it("groups a plain coverage's flagged samples into gap regions", async () => {
    const regions = await client.gapRegions({ ...REFERENCE, numObservations: 10, percent: 0.02 });
    expect(regions.reduce((a, g) => a + g.size, 0)).toBe(20);
    for (const g of regions) expect(g.members).toContain(g.medoid);
  });
});
