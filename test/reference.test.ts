/**
 * Lacuna against scikit-learn's exact answers (fixtures/reference, copied from the team's shared
 * reference set; README.md there says how they were made).
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  coverageAdaptive,
  coverageNaive,
  criticalValueRadii,
  ensureUnitInterval,
} from "@lacuna/core";
import { loadEmbeddingsNpy, readNpyFile } from "@lacuna/io";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures/reference");

interface Reference {
  n: number;
  d: number;
  k: number;
  percent: number;
  adaptive: { coverage_radius: number; uncovered_indices: number[] };
  naive: { coverage_radius: number; uncovered_indices: number[] };
}

const cases: { name: string; k: number; force: boolean }[] = [
  { name: "blobs-2000x10", k: 20, force: false },
  { name: "uniform-1000x3", k: 5, force: false },
  { name: "highd-300x784", k: 10, force: false },
  { name: "ties-200x4", k: 20, force: false },
  { name: "ties-200x4", k: 5, force: false },
  { name: "scaled-500x16", k: 20, force: true },
];

function relativeError(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

describe.each(cases)("$name with k = $k", ({ name, k, force }) => {
  const load = async () => {
    const embeddings = await loadEmbeddingsNpy(join(fixtures, `${name}.npy`));
    const ref = JSON.parse(
      await readFile(join(fixtures, `${name}.k${k}.coverage.json`), "utf8"),
    ) as Reference;
    const radii = (await readNpyFile(join(fixtures, `${name}.k${k}.radii.npy`))).data;
    return { embeddings, ref, radii };
  };

  it("radii equal scikit-learn's within 1e-5 relative (zeros exactly)", async () => {
    const { embeddings, ref, radii } = await load();
    expect([embeddings.n, embeddings.d]).toEqual([ref.n, ref.d]);
    const got = criticalValueRadii(ensureUnitInterval(embeddings, force), k);
    let worst = 0;
    for (let i = 0; i < got.length; i++) {
      if (radii[i] === 0) expect(got[i], `row ${i}`).toBe(0);
      worst = Math.max(worst, relativeError(got[i]!, radii[i]!));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it("adaptive: the same indices in the same order, radius within 1e-9", async () => {
    const { embeddings, ref } = await load();
    const r = coverageAdaptive(embeddings, k, ref.percent, { forceUnitInterval: force });
    expect(Array.from(r.uncoveredIndices)).toEqual(ref.adaptive.uncovered_indices);
    expect(relativeError(r.coverageRadius, ref.adaptive.coverage_radius)).toBeLessThan(1e-9);
  });

  it("naive: the same indices, radius within 1e-9", async () => {
    const { embeddings, ref } = await load();
    const r = coverageNaive(embeddings, k, { forceUnitInterval: force });
    expect(Array.from(r.uncoveredIndices)).toEqual(ref.naive.uncovered_indices);
    expect(relativeError(r.coverageRadius, ref.naive.coverage_radius)).toBeLessThan(1e-9);
  });
});
