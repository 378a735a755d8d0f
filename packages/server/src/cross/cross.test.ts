/**
 * Cross coverage, gap regions, collect and the export route through GraphQL (in-process server,
 * registered embeddings datasets), checked against brute force written here and against core.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, createEmbeddings, crossCoverage, type Embeddings } from "@lacuna/core";
import { bruteCrossRadii, dist, randomEmbeddings } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import { type Harness, createHarness } from "../testing/harness.js";
import { exportRoute } from "../http/export-route.js";

const d = 3;
const k = 5;
const sets = { ref: 400, query: 120, pool: 200 } as const;
const data: Record<string, Float64Array> = {};
let root: string;
let h: Harness;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lacuna-cross-"));
  let seed = 21;
  for (const [name, n] of Object.entries(sets)) {
    data[name] = Float64Array.from(randomEmbeddings(n, d, seed++).data);
    await writeFile(join(root, `${name}.npy`), encodeNpy(data[name]!, [n, d]));
    const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
    await writeFile(join(root, `${name}.labels.npy`), encodeNpy(labels, [n]));
  }
  h = await createHarness({ LACUNA_DATA_ROOTS: root });
  for (const name of Object.keys(sets)) {
    const r = await h.run(
      `mutation { registerDataset(input: { id: "${name}", kind: EMBEDDINGS, path: "${name}.npy", labels: "${name}.labels.npy" }) { id } }`,
    );
    expect(r.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await h.close();
  await rm(root, { recursive: true, force: true });
});

/** A registered set as core's Embeddings (the same float64 values the server reads). */
function set(name: keyof typeof sets): Embeddings {
  return createEmbeddings(data[name]!, sets[name], d);
}

const CROSS = `query Cross($metric: DistanceMetric, $method: CoverageMethod) {
  crossCoverage(input: { reference: { datasetId: "ref" }, query: { datasetId: "query" },
      numObservations: ${k}, percent: 0.05, metric: $metric, method: $method }) {
    id coverageRadius criticalValueRadii queryIndices uncoveredIndices uncoveredCount cached metric
    uncovered(first: 60) { sample { index } radius rank region nearest(first: 2) { index distance } }
    gapRegions { id size deficit medoid members classMix { label labelName count } medoidSample { index } }
    perClass { label count uncovered uncoveredFraction }
  }
}`;

interface Cross {
  crossCoverage: {
    id: string;
    coverageRadius: number;
    criticalValueRadii: number[];
    uncoveredIndices: number[];
    uncoveredCount: number;
    cached: boolean;
    uncovered: {
      sample: { index: number };
      radius: number;
      rank: number;
      region: number;
      nearest: { index: number; distance: number }[];
    }[];
    gapRegions: { size: number; deficit: number; medoid: number; members: number[] }[];
    perClass: { count: number; uncovered: number }[];
  };
}

describe("crossCoverage", () => {
  it("answers as brute force, with regions, nearest reference samples and per-class shares; then from disk", async () => {
    const plain = await h.run<{ coverage: { coverageRadius: number } }>(
      `{ coverage(input: { datasetId: "ref", numObservations: ${k}, percent: 0.05 }) { coverageRadius } }`,
    );
    const first = await h.run<Cross>(CROSS);
    expect(first.errors).toBeUndefined();
    const r = first.data!.crossCoverage;
    expect(r.cached).toBe(false);
    expect(r.coverageRadius).toBe(plain.data!.coverage.coverageRadius);
    const radii = bruteCrossRadii(set("ref"), set("query"), k);
    expect(r.criticalValueRadii).toEqual(radii);
    // the pool's searches give core's single-threaded crossCoverage to the bit
    const core = crossCoverage(set("ref"), set("query"), { k, percent: 0.05 });
    expect(r.criticalValueRadii).toEqual(Array.from(core.criticalValueRadii));
    expect(r.uncoveredIndices).toEqual(Array.from(core.uncoveredIndices));
    expect(r.coverageRadius).toBe(core.coverageRadius);
    const above = radii
      .map((v, i) => [v, i] as const)
      .filter(([v]) => v > r.coverageRadius)
      .sort((a, b) => b[0] - a[0] || b[1] - a[1])
      .map(([, i]) => i);
    expect(r.uncoveredIndices).toEqual(above);
    expect(r.uncovered.map((u) => u.sample.index)).toEqual(above);
    for (const u of r.uncovered) {
      expect(u.nearest[0]!.distance).toBe(
        dist(set("query"), u.sample.index, set("ref"), u.nearest[0]!.index),
      );
      expect(u.nearest[0]!.distance).toBeLessThanOrEqual(u.nearest[1]!.distance);
    }
    const members = r.gapRegions.flatMap((g) => g.members).sort((a, b) => a - b);
    expect(members).toEqual([...above].sort((a, b) => a - b));
    expect(r.perClass.reduce((s, c) => s + c.uncovered, 0)).toBe(above.length);
    const again = await h.run<Cross>(CROSS);
    expect(again.data!.crossCoverage.cached).toBe(true);
    expect(again.data!.crossCoverage.criticalValueRadii).toEqual(r.criticalValueRadii);
  });

  it("refuses NAIVE with COSINE and an unknown dataset, with codes", async () => {
    const naive = await h.run(CROSS, { metric: "COSINE", method: "NAIVE" });
    expect(naive.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const missing = await h.run(
      `{ crossCoverage(input: { reference: { datasetId: "ref" }, query: { datasetId: "nope" } }) { id } }`,
    );
    expect(missing.errors![0]!.extensions!.code).toBe("NOT_FOUND");
  });

  it("adds gap regions to plain coverage results", async () => {
    const r = await h.run<{
      coverage: { uncovered: { index: number }[]; gapRegions: { members: number[] }[] };
    }>(
      `{ coverage(input: { datasetId: "ref", numObservations: ${k}, percent: 0.05 }) { uncovered(first: 1000) { index } gapRegions { members } } }`,
    );
    expect(r.errors).toBeUndefined();
    const { uncovered, gapRegions } = r.data!.coverage;
    expect(gapRegions.flatMap((g) => g.members).sort((a, b) => a - b)).toEqual(
      uncovered.map((u) => u.index).sort((a, b) => a - b),
    );
    const apart = await h.run<{ coverage: { gapRegions: { size: number }[] } }>(
      `{ coverage(input: { datasetId: "ref", numObservations: ${k}, percent: 0.05 }) { gapRegions(linkFactor: 1e-9) { size } } }`,
    );
    expect(apart.data!.coverage.gapRegions.map((g) => g.size)).toEqual(uncovered.map(() => 1));
    const bad = await h.run(
      `{ coverage(input: { datasetId: "ref", numObservations: ${k}, percent: 0.05 }) { gapRegions(linkFactor: 0) { size } } }`,
    );
    expect(bad.errors![0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argument: "linkFactor",
    });
  });
});

const COLLECT = `{ collect(input: { reference: { datasetId: "ref" }, pool: { datasetId: "pool" },
    budget: 6, numObservations: ${k}, percent: 0.05 }) {
  id selected selectedIndices gains deficitBefore deficitAfter flaggedCount cached
  recomputed { coverageRadius resolved resolvedAtReferenceRadius }
  picks { pick gain sample { index label } }
} }`;

interface Collect {
  collect: {
    id: string;
    selected: number[];
    gains: number[];
    deficitBefore: number;
    deficitAfter: number;
    cached: boolean;
    recomputed: { resolved: number; resolvedAtReferenceRadius: number };
    picks: { pick: number; gain: number; sample: { index: number } }[];
  };
}

describe("collect", () => {
  it("answers as core's greedy, with picks, then from disk", async () => {
    const r = await h.run<Collect>(COLLECT);
    expect(r.errors).toBeUndefined();
    const out = r.data!.collect;
    const expected = collect(set("ref"), set("pool"), 6, { k, percent: 0.05 });
    expect(out.selected).toEqual(Array.from(expected.selected));
    expect(out.selected.length).toBeGreaterThan(0);
    expect(out.gains).toEqual(Array.from(expected.gains));
    expect(out.deficitBefore).toBe(expected.deficitBefore);
    expect(out.deficitAfter).toBe(expected.deficitAfter);
    expect(out.recomputed.resolved).toBe(expected.recomputed.resolved);
    expect(out.picks.map((p) => p.sample.index)).toEqual(out.selected);
    expect((await h.run<Collect>(COLLECT)).data!.collect.cached).toBe(true);
  });

  it("refuses a negative budget", async () => {
    const r = await h.run(
      `{ collect(input: { reference: { datasetId: "ref" }, pool: { datasetId: "pool" }, budget: -1 }) { id } }`,
    );
    expect(r.errors![0]!.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argument: "input.budget",
    });
  });
});

describe("GET /export/:kind/:id", () => {
  it("downloads a cross coverage's uncovered rows, a region, a collect list; refuses unknowns", async () => {
    const app = express().get(
      "/export/:kind/:id",
      exportRoute(h.lacuna.services, pino({ level: "silent" })),
    );
    const server = app.listen(0);
    await new Promise((done) => server.once("listening", done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/export`;
    try {
      const cross = (await h.run<Cross>(CROSS)).data!.crossCoverage;
      const csv = await fetch(`${base}/cross/${cross.id}?format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
      expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="lacuna-cross-/);
      expect((await csv.text()).trimEnd().split("\n")).toHaveLength(1 + cross.uncoveredCount);
      const region0 = await fetch(`${base}/cross/${cross.id}?format=jsonl&region=0`);
      const lines = (await region0.text())
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as { region: number; neighbours: number[] });
      expect(lines.length).toBe(cross.gapRegions[0]!.size);
      expect(lines.every((l) => l.region === 0 && l.neighbours.length === k)).toBe(true);
      const picks = (await h.run<Collect>(COLLECT)).data!.collect;
      const studio = await fetch(
        `${base}/collect/${picks.id}?format=label-studio&image=/img/{index}.png`,
      );
      const tasks = (await studio.json()) as { data: { image: string } }[];
      expect(tasks.map((t) => t.data.image)).toEqual(picks.selected.map((i) => `/img/${i}.png`));
      const missing = await fetch(`${base}/cross/${"0".repeat(64)}`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({
        errors: [{ extensions: { code: "NOT_FOUND" } }],
      });
      const badFormat = await fetch(`${base}/cross/${cross.id}?format=xml`);
      expect(badFormat.status).toBe(400);
      const badKind = await fetch(`${base}/everything/${cross.id}`);
      expect(badKind.status).toBe(400);
    } finally {
      server.close();
    }
  });
});
