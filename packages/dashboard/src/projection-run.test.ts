import { type CoverageResult, type Projection, ProjectionMethod } from "@lacuna/client";
import { describe, expect, it } from "vitest";
import { SEED_CONTROLS } from "./controls.js";
import type { ScatterPanel } from "./panels/scatter.js";
import type { Progress } from "./panels/status.js";
import { projectRun } from "./projection-run.js";
import type { Run } from "./runner.js";

/** A coverage result of n rows (dataset indices 0..n-1) whose `flagged` largest radii are flagged. */
function coverage(n: number, flagged: number): CoverageResult {
  // radius falls with the index but for every 7th row, which leads: those are the flagged ones
  const radii = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 2 : 1) - i / (10 * n));
  return {
    method: "ADAPTIVE",
    coverageRadius: 1.5,
    criticalValueRadii: radii,
    indices: Array.from({ length: n }, (_, i) => i),
    labels: Array.from({ length: n }, () => null),
    uncoveredCount: flagged,
  } as unknown as CoverageResult;
}

/** A run whose projection records what it was asked for, and a scatter and progress line that record. */
function fakes(projection: ProjectionMethod, limit: number, fail?: Error) {
  const asked: (Int32Array | undefined)[] = [];
  const notes: string[] = [];
  const errors: string[] = [];
  const run = {
    controls: { ...SEED_CONTROLS, projection, limit },
    signal: new AbortController().signal,
    projection: (_onProgress: unknown, indices?: Int32Array) => {
      asked.push(indices);
      return fail ? Promise.reject(fail) : Promise.resolve({ count: 0 } as unknown as Projection);
    },
  } as unknown as Run;
  const scatter = {
    setNote: (text: string) => notes.push(text),
    showError: (text: string) => errors.push(text),
  } as unknown as ScatterPanel;
  const progress = { set: () => undefined } as unknown as Progress;
  return { run, scatter, progress, asked, notes, errors };
}

describe("projectRun", () => {
  it("says nothing of progress that comes in after the run stopped", async () => {
    const f = fakes(ProjectionMethod.Pca, 500);
    const controller = new AbortController();
    let report: ((phase: string, f: number) => void) | undefined;
    let finish: (p: Projection) => void = () => undefined;
    const run = {
      ...f.run,
      controls: f.run.controls,
      signal: controller.signal,
      projection: (onProgress: (phase: string, f: number) => void) => {
        report = onProgress;
        return new Promise<Projection>((done) => (finish = done));
      },
    } as unknown as Run;
    const projecting = projectRun(run, Promise.resolve(coverage(500, 5)), f.scatter, f.progress);
    await Promise.resolve();
    report!("projecting", 0.5);
    expect(f.notes.at(-1)).toBe("projecting 50 %");
    // the run stops (its coverage failed): the app writes its own note, a late event keeps off it
    controller.abort();
    f.scatter.setNote("these points are from the previous settings");
    report!("projecting", 0.9);
    expect(f.notes.at(-1)).toBe("these points are from the previous settings");
    finish({ count: 0 } as unknown as Projection);
    expect(await projecting).toBe(null);
  });

  it("projects every sample by PCA, without waiting for the coverage", async () => {
    const f = fakes(ProjectionMethod.Pca, 60_000);
    const never = new Promise<CoverageResult>(() => undefined);
    const projected = await projectRun(f.run, never, f.scatter, f.progress);
    expect(f.asked).toEqual([undefined]);
    expect(projected?.note).toBe("");
  });

  it("asks t-SNE above the cap for a subsample holding every flagged sample, and says so", async () => {
    const n = 12_000;
    const f = fakes(ProjectionMethod.Tsne, n);
    const projected = await projectRun(
      f.run,
      Promise.resolve(coverage(n, 1000)),
      f.scatter,
      f.progress,
    );
    const indices = f.asked[0]!;
    expect(indices).toHaveLength(10_000);
    // the flagged are the 1000 largest radii: every 7th row from 0
    for (let i = 0; i < 1000; i++) expect(indices).toContain(7 * i);
    expect(f.notes[0]).toMatch(/^waiting for the coverage/);
    expect(projected?.note).toMatch(/^showing 10 000 of 12 000 points, every flagged one included/);
  });

  it("shows a failure on the scatter, and leaves a failed coverage to the run", async () => {
    const f = fakes(ProjectionMethod.Umap, 500, new Error("selection must be at most 400"));
    expect(await projectRun(f.run, Promise.resolve(coverage(500, 5)), f.scatter, f.progress)).toBe(
      null,
    );
    expect(f.errors).toEqual(["projection failed: selection must be at most 400"]);
    const g = fakes(ProjectionMethod.Umap, 20_000);
    const failed = Promise.reject(new Error("k must be at most 10000"));
    expect(await projectRun(g.run, failed, g.scatter, g.progress)).toBe(null);
    expect(g.asked).toEqual([]);
    expect(g.errors).toEqual([]);
  });
});
