import type { CoverageResult, Projection } from "@lacuna/client";
import { flaggedRows, runResultOf } from "./flagged.js";
import type { ScatterPanel } from "./panels/scatter.js";
import type { Progress } from "./panels/status.js";
import type { Run } from "./runner.js";
import { MAX_NONLINEAR_POINTS, needsSubsample, subsampleNote, subsampleRows } from "./subsample.js";

/** A run's projection as it came in, and what the scatter should say of it ("" for nothing). */
export interface Projected {
  readonly projection: Projection;
  readonly note: string;
}

/**
 * Projects a run's selection, its progress on the status line and the scatter. t-SNE and UMAP of
 * more than MAX_NONLINEAR_POINTS samples project a subsample that keeps every flagged sample, so
 * they wait for the run's coverage; PCA projects every sample. A failure is shown on the scatter
 * as an error with its reason (the points of an earlier run are taken away).
 * @returns the projection, or null when it failed or the run stopped (a failed coverage is
 *   reported by the run, not here)
 */
export async function projectRun(
  run: Run,
  coverage: Promise<CoverageResult>,
  scatter: ScatterPanel,
  progress: Progress,
): Promise<Projected | null> {
  const { projection: method, limit } = run.controls;
  const name = method.toLowerCase();
  let indices: Int32Array | undefined;
  let note = "";
  if (needsSubsample(method, limit)) {
    scatter.setNote(
      `waiting for the coverage: ${name} of more than ${MAX_NONLINEAR_POINTS} points projects a subsample with every flagged sample`,
    );
    const result = await coverage.catch(() => null);
    if (!result || run.signal.aborted) return null;
    const rows = runResultOf(result);
    const subsample = subsampleRows(rows.indices, flaggedRows(rows).mask, MAX_NONLINEAR_POINTS);
    indices = subsample.indices;
    note = subsampleNote(subsample);
  }
  scatter.setNote(`projecting (${name})…`);
  try {
    const projection = await run.projection((phase, f) => {
      // progress that comes in after the run stopped (its coverage failed, a newer run started)
      // would overwrite what the scatter says of the points it still shows
      if (run.signal.aborted) return;
      progress.set(phase, f);
      scatter.setNote(`${phase} ${(f * 100).toFixed(0)} %`);
    }, indices);
    if (run.signal.aborted) return null;
    progress.set("done", null);
    return { projection, note };
  } catch (error) {
    if (!run.signal.aborted) {
      progress.set("", null);
      scatter.showError(
        `projection failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return null;
  }
}
