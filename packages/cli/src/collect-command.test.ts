/**
 * `lacuna collect`, end to end (real processes) against the brute-force deficits and greedy of
 * `@lacuna/core/testing`, written independently of core's collect.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bruteDeficit, dist, naiveGreedy } from "@lacuna/core/testing";
import { json, k, percent, useCrossSets } from "./test-support/cross-sets.js";
import { expectBadInput, lacuna } from "./test-support/run.js";

const sets = useCrossSets();

describe("lacuna collect", () => {
  it("prints issue 17's JSON, equal to a brute-force greedy", async () => {
    const plain = await json<{ coverageRadius: number; uncoveredIndices: number[] }>([
      "coverage",
      "--embeddings",
      sets.refFile,
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
      sets.refFile,
      "--pool",
      sets.poolFile,
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
    const deficits = U.map((u) => bruteDeficit(sets.ref, u, sets.ref, R, k, true));
    const before = deficits.reduce((a, b) => a + b, 0);
    // reach[p]: the flagged samples (positions in U) within R of pool row p
    const reach = Array.from({ length: sets.pool.n }, (_, p) =>
      U.flatMap((u, t) => (dist(sets.ref, u, sets.pool, p) <= R ? [t] : [])),
    );
    const { selected, remaining: deficit } = naiveGreedy(deficits, reach, budget);
    expect(out.selected).toEqual(selected);
    expect(out.selected.length).toBeGreaterThan(0);
    expect(out.deficitBefore).toBe(before);
    expect(out.deficitAfter).toBe(deficit.reduce((a, b) => a + b, 0));
    expect(out.recomputed.resolvedAtReferenceRadius).toBe(deficit.filter((v) => v === 0).length);
    expect(out.recomputed.resolved).toBeGreaterThanOrEqual(0);
  });

  it("shows a table and exports the picks as CSV", async () => {
    const csv = join(sets.dir, "picks.csv");
    const run = await lacuna([
      "collect",
      "--embeddings",
      sets.refFile,
      "--pool",
      sets.poolFile,
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
    const run = await lacuna(["collect", "--embeddings", sets.refFile, "--pool", sets.poolFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--budget/);
    expectBadInput(
      await lacuna(["collect", "--embeddings", sets.refFile, "--budget", "2"]),
      /exactly one of --pool FILE.npy and --pool-dataset ID/,
    );
  });
});
