/**
 * `lacuna coverage --query`, `--metric`, `--gaps`, `--link-factor` and `--export`, end to end
 * (real processes) against the brute-force references of `@lacuna/core/testing`, written
 * independently of core's search.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bruteCrossRadii, bruteDeficit, bruteExceeding, dist } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import { json, k, percent, unitRows, useCrossSets } from "./test-support/cross-sets.js";
import { expectBadInput, lacuna } from "./test-support/run.js";

const sets = useCrossSets();

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
      sets.refFile,
      "--k",
      String(k),
      "--percent",
      String(percent),
      "--json",
    ]);
    const out = await json<CrossJson>([
      "coverage",
      "--embeddings",
      sets.refFile,
      "--query",
      sets.queryFile,
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
    const radii = bruteCrossRadii(sets.ref, sets.query, k);
    expect(out.criticalValueRadii).toEqual(radii);
    expect(out.uncoveredIndices).toEqual(bruteExceeding(radii, out.coverageRadius));
    expect(out.uncoveredIndices.length).toBeGreaterThan(0);
    // the regions partition the uncovered rows; each region's deficit is its members' sum
    const members = out.gapRegions!.flatMap((r) => r.members).sort((a, b) => a - b);
    expect(members).toEqual([...out.uncoveredIndices].sort((a, b) => a - b));
    for (const region of out.gapRegions!) {
      let deficit = 0;
      for (const u of region.members)
        deficit += bruteDeficit(sets.query, u, sets.ref, out.coverageRadius, k, false);
      expect(region.deficit).toBe(deficit);
      expect(region.members).toContain(region.medoid);
    }
  });

  it("shows the table with nearest reference rows and the gap regions", async () => {
    const run = await lacuna([
      "coverage",
      "--embeddings",
      sets.refFile,
      "--query",
      sets.queryFile,
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
    const cosine = await json<CrossJson>([
      "coverage",
      "--embeddings",
      sets.refFile,
      "--query",
      sets.queryFile,
      "--metric",
      "cosine",
      "--json",
      "--k",
      String(k),
    ]);
    const radii = bruteCrossRadii(unitRows(sets.ref), unitRows(sets.query), k);
    cosine.criticalValueRadii.forEach((r, i) => expect(r).toBeCloseTo(radii[i]!, 12));
  });

  it("refuses naive with cosine, and a query of another width, with one line and exit 2", async () => {
    expectBadInput(
      await lacuna([
        "coverage",
        "--embeddings",
        sets.refFile,
        "--method",
        "naive",
        "--metric",
        "cosine",
      ]),
      /naive/,
    );
    const wide = join(sets.dir, "wide.npy");
    await writeFile(wide, encodeNpy(new Float64Array(8), [2, 4]));
    expectBadInput(
      await lacuna(["coverage", "--embeddings", sets.refFile, "--query", wide]),
      /query rows have d = 4/,
    );
    expectBadInput(
      await lacuna([
        "coverage",
        "--embeddings",
        sets.refFile,
        "--query",
        sets.queryFile,
        "--query-dataset",
        "mnist:test",
      ]),
      /exactly one of --query FILE.npy and --query-dataset ID/,
    );
    expectBadInput(
      await lacuna(["coverage", "--embeddings", sets.refFile, "--export", join(sets.dir, "x.txt")]),
      /--export must be a file ending in .csv/,
    );
  });

  it("--export writes the uncovered rows as JSON Lines and as a Label Studio file", async () => {
    const lines = join(sets.dir, "u.jsonl");
    const studio = join(sets.dir, "u.json");
    const out = await json<CrossJson>([
      "coverage",
      "--embeddings",
      sets.refFile,
      "--query",
      sets.queryFile,
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
      expect(dist(sets.query, r.index, sets.ref, r.neighbours[k - 1]!)).toBe(r.radius);
    }
    await json<CrossJson>([
      "coverage",
      "--embeddings",
      sets.refFile,
      "--query",
      sets.queryFile,
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
    const unit = unitRows(sets.ref);
    const out = await json<CrossJson>([
      "coverage",
      "--embeddings",
      sets.refFile,
      "--metric",
      "cosine",
      "--gaps",
      "--json",
      "--k",
      String(k),
      "--percent",
      String(percent),
    ]);
    // each row itself is its own nearest (at 0): the (k+1)-th including it is the k-th excluding it
    const radii = bruteCrossRadii(unit, unit, k + 1);
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
      sets.refFile,
      "--query",
      sets.queryFile,
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
    const zero = await lacuna(["coverage", "--embeddings", sets.refFile, "--link-factor", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--link-factor.*must be a finite number > 0/);
  });
});
