/** The gap step of `lacuna coverage`: in the pool, equal to core's, capped for the table, with progress. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coverage, coverageGapRegions, type Embeddings } from "@lacuna/core";
import { dist, randomEmbeddings } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import { KnnPool } from "@lacuna/worker";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GAP_TABLE_LIMIT, leastCovered, selfGapStep } from "./gap-step.js";
import { lacuna } from "./test-support/run.js";

/** A stream that says it is a terminal and keeps what is written to it. */
function terminal() {
  const writes: string[] = [];
  const stream = { isTTY: true, write: (s: string) => writes.push(s) };
  return { writes, stream: stream as unknown as NodeJS.WriteStream };
}

let pool: KnnPool;
let dir: string;
beforeAll(async () => {
  pool = new KnnPool({ threads: 2 });
  dir = await mkdtemp(join(tmpdir(), "lacuna-gaps-"));
});
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

describe("selfGapStep", () => {
  it("equals core's coverageGapRegions on small random sets (ties, duplicates, labels)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 6, max: 200 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom(0.05, 0.2, 1),
        fc.constantFrom(1, 2, 3),
        async (n, d, seed, percent, linkFactor) => {
          const e = randomEmbeddings(n, d, seed, { duplicateRate: 0.25, grid: 6 });
          const k = Math.min(4, n - 1);
          const result = coverage(e, k, "adaptive", percent);
          const labels = Array.from({ length: n }, (_, i) => (i * 7) % 4);
          const options = { labels, linkFactor };
          const step = await selfGapStep(pool, e, result, k, options);
          expect(step.gaps).toEqual(coverageGapRegions(e, result, k, options));
          expect(step.leftOut).toBe(0);
          expect(step.neighbours).toBeUndefined();
        },
      ),
      { numRuns: 30 },
    );
  });

  it("draws a progress line per step on a terminal, and none with --json", async () => {
    const e = randomEmbeddings(400, 5, 11);
    const result = coverage(e, 5, "adaptive", 0.5);
    const tty = terminal();
    await selfGapStep(pool, e, result, 5, { stream: tty.stream });
    const text = tty.writes.join("");
    for (const label of ["gap deficits", "gap links", "gap medoids"]) {
      expect(text).toMatch(new RegExp(`\\r${label} \\[#{30}\\] 100 % \\d+/\\d+\\n`));
    }
    const quiet = terminal();
    await selfGapStep(pool, e, result, 5, { stream: quiet.stream, json: true });
    expect(quiet.writes).toEqual([]);
  });

  it("with a limit groups the least-covered flagged samples only and counts the rest", async () => {
    const e = randomEmbeddings(300, 4, 5);
    const result = coverage(e, 5, "adaptive", 0.5);
    const m = result.uncoveredIndices.length;
    expect(m).toBeGreaterThan(20);
    const step = await selfGapStep(pool, e, result, 5, { limit: 20, neighbours: true });
    expect(step.leftOut).toBe(m - 20);
    expect(step.flagged).toEqual(
      leastCovered(result.uncoveredIndices, result.criticalValueRadii, 20),
    );
    const radii = result.criticalValueRadii;
    const cut = Math.min(...Array.from(step.flagged, (i) => radii[i]!));
    const leftOut = Array.from(result.uncoveredIndices).filter((i) => !step.flagged.includes(i));
    for (const i of leftOut) expect(radii[i]).toBeLessThanOrEqual(cut);
    expect(step.gaps.regionOf).toHaveLength(20);
    expect(step.neighbours!.n).toBe(20);
  });
});

/** An n x d float32 .npy of random rows. */
async function npyOf(name: string, e: Embeddings): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, encodeNpy(Float32Array.from(e.data), [e.n, e.d]));
  return file;
}

describe("lacuna coverage's gap table", () => {
  it("--percent 1 (every sample flagged) completes and says how many were left out", async () => {
    const n = GAP_TABLE_LIMIT + 500;
    const file = await npyOf("all-flagged.npy", randomEmbeddings(n, 6, 3));
    const run = await lacuna(["coverage", "--embeddings", file, "--k", "5", "--percent", "1"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `Only the ${GAP_TABLE_LIMIT} least-covered flagged samples are grouped here: 500 more were left out (--json --gaps groups all ${n}).`,
    );
    const json = await lacuna([
      "coverage",
      ...["--embeddings", file, "--k", "5", "--percent", "1", "--json", "--gaps"],
    ]);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout) as { gapRegions: { members: number[] }[] };
    expect(out.gapRegions.reduce((s, r) => s + r.members.length, 0)).toBe(n);
  });

  it("says nothing about a cap when every flagged sample is grouped", async () => {
    const file = await npyOf("few-flagged.npy", randomEmbeddings(600, 6, 4));
    const run = await lacuna(["coverage", "--embeddings", file, "--k", "5"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Gap regions");
    expect(run.stdout).not.toContain("left out");
  });

  it("--export writes each flagged sample's k nearest others (never itself), the k-th at its radius", async () => {
    const e = randomEmbeddings(500, 5, 8, { float32: true });
    const file = await npyOf("export.npy", e);
    const lines = join(dir, "flagged.jsonl");
    const run = await lacuna([
      "coverage",
      ...["--embeddings", file, "--k", "5", "--percent", "0.05", "--json", "--export", lines],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const { uncoveredIndices } = JSON.parse(run.stdout) as { uncoveredIndices: number[] };
    const rows = (await readFile(lines, "utf8"))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { index: number; neighbours: number[]; radius: number });
    expect(rows.map((r) => r.index)).toEqual(uncoveredIndices);
    for (const r of rows) {
      expect(r.neighbours).toHaveLength(5);
      expect(r.neighbours).not.toContain(r.index);
      expect(dist(e, r.index, e, r.neighbours[4]!)).toBe(r.radius);
    }
  });

  it("--query: a query far from the reference (every row uncovered) gets the same cap line", async () => {
    const near = randomEmbeddings(300, 4, 21);
    const ref = { ...near, data: near.data.map((v) => v * 0.05) };
    const refFile = await npyOf("corner.npy", ref);
    const queryFile = await npyOf("spread.npy", randomEmbeddings(GAP_TABLE_LIMIT + 200, 4, 22));
    const run = await lacuna([
      "coverage",
      ...["--embeddings", refFile, "--query", queryFile, "--k", "5"],
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `Only the ${GAP_TABLE_LIMIT} least-covered flagged samples are grouped here: \\d+ more were left out \\(--json --gaps groups all \\d+\\)\\.`,
      ),
    );
  });
});
