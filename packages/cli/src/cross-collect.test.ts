/**
 * `lacuna coverage --query`, `lacuna collect`, `--metric`, `--gaps` and `--export`, end to end
 * (real processes) against brute-force references written here, independently of core.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomEmbeddings } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import { expectBadInput, lacuna } from "./test-support/run.js";

const d = 3;
const k = 5;
const percent = 0.05;
let dir: string;
let refFile: string;
let queryFile: string;
let poolFile: string;
let ref: Float64Array;
let query: Float64Array;
let pool: Float64Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-cross-"));
  ref = Float64Array.from(randomEmbeddings(400, d, 11).data);
  query = Float64Array.from(randomEmbeddings(120, d, 12).data);
  pool = Float64Array.from(randomEmbeddings(200, d, 13).data);
  refFile = join(dir, "ref.npy");
  queryFile = join(dir, "query.npy");
  poolFile = join(dir, "pool.npy");
  await writeFile(refFile, encodeNpy(ref, [400, d]));
  await writeFile(queryFile, encodeNpy(query, [120, d]));
  await writeFile(poolFile, encodeNpy(pool, [200, d]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function dist(a: Float64Array, i: number, b: Float64Array, j: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) s += (a[i * d + c]! - b[j * d + c]!) ** 2;
  return Math.sqrt(s);
}

/** The k-th smallest distance from row i of `a` to the rows of `b` (skipping `skip`). */
function kth(a: Float64Array, i: number, b: Float64Array, skip: number): number {
  const all: number[] = [];
  for (let j = 0; j < b.length / d; j++) if (j !== skip) all.push(dist(a, i, b, j));
  all.sort((x, y) => x - y);
  return all[k - 1]!;
}

/** Decreasing radius, equal radii larger index first, strictly above `bar`. */
function above(radii: number[], bar: number): number[] {
  return radii
    .map((r, i) => [r, i] as const)
    .filter(([r]) => r > bar)
    .sort((a, b) => b[0] - a[0] || b[1] - a[1])
    .map(([, i]) => i);
}

async function json<T>(args: string[]): Promise<T> {
  const run = await lacuna(args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

interface CrossJson {
  coverageRadius: number;
  criticalValueRadii: number[];
  uncoveredIndices: number[];
  gapRegions?: { members: number[]; size: number; deficit: number; medoid: number }[];
}

describe("lacuna coverage --query", () => {
  it("prints the reference's radius and the query's radii and uncovered rows, as brute force", async () => {
    const plain = await json<{ coverageRadius: number }>([
      "coverage",
      "--embeddings",
      refFile,
      "--k",
      String(k),
      "--percent",
      String(percent),
      "--json",
    ]);
    const out = await json<CrossJson>([
      "coverage",
      "--embeddings",
      refFile,
      "--query",
      queryFile,
      "--k",
      String(k),
      "--percent",
      String(percent),
      "--json",
      "--gaps",
    ]);
    expect(Object.keys(out).sort()).toEqual([
      "coverageRadius",
      "criticalValueRadii",
      "gapRegions",
      "uncoveredIndices",
    ]);
    expect(out.coverageRadius).toBe(plain.coverageRadius);
    const radii = Array.from({ length: 120 }, (_, i) => kth(query, i, ref, -1));
    expect(out.criticalValueRadii).toEqual(radii);
    expect(out.uncoveredIndices).toEqual(above(radii, out.coverageRadius));
    expect(out.uncoveredIndices.length).toBeGreaterThan(0);
    // the regions partition the uncovered rows; each region's deficit is its members' sum
    const members = out.gapRegions!.flatMap((r) => r.members).sort((a, b) => a - b);
    expect(members).toEqual([...out.uncoveredIndices].sort((a, b) => a - b));
    for (const region of out.gapRegions!) {
      let deficit = 0;
      for (const u of region.members) {
        let within = 0;
        for (let j = 0; j < 400; j++) if (dist(query, u, ref, j) <= out.coverageRadius) within++;
        deficit += Math.max(k - within, 0);
      }
      expect(region.deficit).toBe(deficit);
      expect(region.members).toContain(region.medoid);
    }
  });

  it("shows the table with nearest reference rows and the gap regions", async () => {
    const run = await lacuna([
      "coverage",
      "--embeddings",
      refFile,
      "--query",
      queryFile,
      "--k",
      String(k),
      "--percent",
      String(percent),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/coverage radius \(the reference's\) /);
    expect(run.stdout).toMatch(/nearest reference \(distance\)/);
    expect(run.stdout).toMatch(/Gap regions/);
  });

  it("--metric cosine equals euclidean on rows already scaled to unit length", async () => {
    const unit = Float64Array.from(query);
    const unitRef = Float64Array.from(ref);
    for (const x of [unit, unitRef]) {
      for (let i = 0; i < x.length / d; i++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += x[i * d + c]! ** 2;
        for (let c = 0; c < d; c++) x[i * d + c] = x[i * d + c]! / Math.sqrt(s);
      }
    }
    const cosine = await json<CrossJson>([
      "coverage",
      "--embeddings",
      refFile,
      "--query",
      queryFile,
      "--metric",
      "cosine",
      "--json",
      "--k",
      String(k),
    ]);
    const radii = Array.from({ length: 120 }, (_, i) => kth(unit, i, unitRef, -1));
    cosine.criticalValueRadii.forEach((r, i) => expect(r).toBeCloseTo(radii[i]!, 12));
  });

  it("refuses naive with cosine, and a query of another width, with one line and exit 2", async () => {
    expectBadInput(
      await lacuna([
        "coverage",
        "--embeddings",
        refFile,
        "--method",
        "naive",
        "--metric",
        "cosine",
      ]),
      /naive/,
    );
    const wide = join(dir, "wide.npy");
    await writeFile(wide, encodeNpy(new Float64Array(8), [2, 4]));
    expectBadInput(
      await lacuna(["coverage", "--embeddings", refFile, "--query", wide]),
      /query rows have d = 4/,
    );
    expectBadInput(
      await lacuna([
        "coverage",
        "--embeddings",
        refFile,
        "--query",
        queryFile,
        "--query-dataset",
        "mnist:test",
      ]),
      /exactly one of --query FILE.npy and --query-dataset ID/,
    );
    expectBadInput(
      await lacuna(["coverage", "--embeddings", refFile, "--export", join(dir, "x.txt")]),
      /--export must be a file ending in .csv/,
    );
  });

  it("--export writes the uncovered rows as JSON Lines and as a Label Studio file", async () => {
    const lines = join(dir, "u.jsonl");
    const studio = join(dir, "u.json");
    const out = await json<CrossJson>([
      "coverage",
      "--embeddings",
      refFile,
      "--query",
      queryFile,
      "--k",
      String(k),
      "--json",
      "--percent",
      String(percent),
      "--export",
      lines,
    ]);
    const rows = (await readFile(lines, "utf8"))
      .trimEnd()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as { index: number; rank: number; neighbours: number[]; radius: number },
      );
    expect(rows.map((r) => r.index)).toEqual(out.uncoveredIndices);
    for (const r of rows) {
      expect(r.neighbours).toHaveLength(k);
      expect(dist(query, r.index, ref, r.neighbours[k - 1]!)).toBe(r.radius);
    }
    await json<CrossJson>([
      "coverage",
      "--embeddings",
      refFile,
      "--query",
      queryFile,
      "--k",
      String(k),
      "--json",
      "--percent",
      String(percent),
      "--export",
      studio,
      "--image-url",
      "http://x/{index}.png",
    ]);
    const tasks = JSON.parse(await readFile(studio, "utf8")) as { data: { image: string } }[];
    expect(tasks.map((t) => t.data.image)).toEqual(
      out.uncoveredIndices.map((i) => `http://x/${i}.png`),
    );
  });
});

describe("lacuna coverage (one set)", () => {
  it("--metric cosine --gaps: brute-force radii on unit rows, and regions that partition the flagged", async () => {
    const unit = Float64Array.from(ref);
    for (let i = 0; i < 400; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += unit[i * d + c]! ** 2;
      for (let c = 0; c < d; c++) unit[i * d + c] = unit[i * d + c]! / Math.sqrt(s);
    }
    const out = await json<CrossJson>([
      "coverage",
      "--embeddings",
      refFile,
      "--metric",
      "cosine",
      "--gaps",
      "--json",
      "--k",
      String(k),
      "--percent",
      String(percent),
    ]);
    const radii = Array.from({ length: 400 }, (_, i) => kth(unit, i, unit, i));
    out.criticalValueRadii.forEach((r, i) => expect(r).toBeCloseTo(radii[i]!, 12));
    expect(out.gapRegions!.flatMap((r) => r.members).sort((a, b) => a - b)).toEqual(
      [...out.uncoveredIndices].sort((a, b) => a - b),
    );
  });
});

describe("--link-factor", () => {
  it("a tiny factor leaves each flagged sample its own region; 0 is refused", async () => {
    const out = await json<CrossJson>([
      "coverage",
      "--embeddings",
      refFile,
      "--query",
      queryFile,
      "--k",
      String(k),
      "--percent",
      String(percent),
      "--json",
      "--gaps",
      "--link-factor",
      "1e-9",
    ]);
    expect(out.gapRegions!.map((r) => r.size)).toEqual(out.uncoveredIndices.map(() => 1));
    const zero = await lacuna(["coverage", "--embeddings", refFile, "--link-factor", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--link-factor.*must be a finite number > 0/);
  });
});

describe("lacuna collect", () => {
  it("prints issue 17's JSON, equal to a brute-force greedy", async () => {
    const plain = await json<{ coverageRadius: number; uncoveredIndices: number[] }>([
      "coverage",
      "--embeddings",
      refFile,
      "--k",
      String(k),
      "--percent",
      String(percent),
      "--json",
    ]);
    const budget = 6;
    const out = await json<{
      selected: number[];
      deficitBefore: number;
      deficitAfter: number;
      recomputed: { resolved: number; resolvedAtReferenceRadius: number };
    }>([
      "collect",
      "--embeddings",
      refFile,
      "--pool",
      poolFile,
      "--budget",
      String(budget),
      "--k",
      String(k),
      "--percent",
      String(percent),
      "--json",
    ]);
    const R = plain.coverageRadius;
    const U = plain.uncoveredIndices;
    const deficit = U.map((u) => {
      let within = 0;
      for (let j = 0; j < 400; j++) if (j !== u && dist(ref, u, ref, j) <= R) within++;
      return Math.max(k - within, 0);
    });
    const before = deficit.reduce((a, b) => a + b, 0);
    const selected: number[] = [];
    for (let round = 0; round < budget; round++) {
      let best = -1;
      let bestGain = 0;
      for (let p = 0; p < 200; p++) {
        if (selected.includes(p)) continue;
        let gain = 0;
        U.forEach((u, t) => {
          if (deficit[t]! > 0 && dist(ref, u, pool, p) <= R) gain++;
        });
        if (gain > bestGain) [best, bestGain] = [p, gain];
      }
      if (best < 0) break;
      selected.push(best);
      U.forEach((u, t) => {
        if (deficit[t]! > 0 && dist(ref, u, pool, best) <= R) deficit[t]!--;
      });
    }
    expect(out.selected).toEqual(selected);
    expect(out.selected.length).toBeGreaterThan(0);
    expect(out.deficitBefore).toBe(before);
    expect(out.deficitAfter).toBe(deficit.reduce((a, b) => a + b, 0));
    expect(out.recomputed.resolvedAtReferenceRadius).toBe(deficit.filter((v) => v === 0).length);
    expect(out.recomputed.resolved).toBeGreaterThanOrEqual(0);
  });

  it("shows a table and exports the picks as CSV", async () => {
    const csv = join(dir, "picks.csv");
    const run = await lacuna([
      "collect",
      "--embeddings",
      refFile,
      "--pool",
      poolFile,
      "--budget",
      "3",
      "--k",
      String(k),
      "--percent",
      String(percent),
      "--export",
      csv,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/deficit \d+ -> \d+ with 3 picks/);
    const lines = (await readFile(csv, "utf8")).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^index,source,source_index,label/);
    expect(lines).toHaveLength(4);
  });

  it("needs a budget and a pool", async () => {
    const run = await lacuna(["collect", "--embeddings", refFile, "--pool", poolFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--budget/);
    expectBadInput(
      await lacuna(["collect", "--embeddings", refFile, "--budget", "2"]),
      /exactly one of --pool FILE.npy and --pool-dataset ID/,
    );
  });
});
