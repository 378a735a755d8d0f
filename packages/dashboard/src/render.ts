import type { CoverageResult, PerClassReport } from "@lacuna/client";
import type { Controls } from "./controls.js";
import { type Flagged, type RunResult, classCounts, stepIn, visibleRows } from "./flagged.js";
import type { Joined } from "./join.js";
import type { DetailPanel } from "./panels/detail.js";
import type { GridPanel } from "./panels/grid.js";
import type { PerClassPanel } from "./panels/per-class.js";
import type { ScatterPanel } from "./panels/scatter.js";
import type { ViewState } from "./url-state.js";

/** What is on screen: one run's result, its per-class report and projection, never mixed. */
export interface Shown {
  readonly controls: Controls;
  readonly result: CoverageResult;
  readonly rows: RunResult;
  readonly flagged: Flagged;
  report: PerClassReport | null;
  joined: Joined | null;
  /** Rows inside the box selection, or null. */
  selected: Uint8Array | null;
}

/** The panels a view is drawn on. */
export interface Panels {
  readonly scatter: ScatterPanel;
  readonly grid: GridPanel;
  readonly perClass: PerClassPanel;
  readonly detail: DetailPanel;
}

/**
 * Draws a view of the shown result on every panel: the scatter's colour, class and selection, the
 * grid's page of the flagged samples that pass them, per-class counts of what is selected, the
 * open sample with its place among the flagged. Returns the view as shown (a page past the end
 * becomes the last page).
 */
export function renderView(panels: Panels, shown: Shown | null, view: ViewState): ViewState {
  panels.scatter.setColour(view.colour);
  panels.scatter.setClass(view.cls);
  if (!shown) return view;
  // until this result's projection is in, the points on the scatter are another run's (a failed
  // projection has none: its reason is shown plainly)
  const failed = panels.scatter.element.dataset.state === "error";
  panels.scatter.element.classList.toggle("stale", shown.joined === null && !failed);
  const joined = shown.joined;
  if (joined) {
    panels.scatter.setBox(view.box);
    const mask = panels.scatter.maskOf(view.box);
    shown.selected = mask ? joined.rowsOf(mask) : null;
  } else shown.selected = null;
  const rows = visibleRows(shown.flagged, shown.rows.labels, view.order, {
    cls: view.cls,
    selected: shown.selected,
  });
  const filter = [
    view.cls !== null ? `class ${view.cls}` : "",
    shown.selected ? "in the selection" : "",
  ]
    .filter(Boolean)
    .join(", ");
  const page = panels.grid.show({
    rows,
    indices: shown.rows.indices,
    radii: shown.rows.radii,
    labels: shown.rows.labels,
    rank: shown.flagged.rank,
    method: shown.rows.method,
    order: view.order,
    page: view.page,
    filter,
    flaggedTotal: shown.flagged.byRadius.length,
    resultId: shown.result.id,
  });
  const shownView = page === view.page ? view : { ...view, page };
  if (joined) panels.scatter.setSteps(joined.pointsOf(rows));
  panels.perClass.show(
    classCounts(shown.rows.labels, shown.flagged.mask, shown.selected),
    shown.report,
    view.cls,
    shown.selected ? "in the selection" : "",
  );
  if (view.sample === null) panels.detail.close();
  else {
    const at = shown.rows.indices.indexOf(view.sample);
    const step = stepIn(rows, at);
    const index = (row: number | null) => (row === null ? null : shown.rows.indices[row]!);
    panels.detail.open(view.sample, shown.result.id, {
      position: step.position,
      total: rows.length,
      previous: index(step.previous),
      next: index(step.next),
      count: shown.result.count,
    });
  }
  return shownView;
}
