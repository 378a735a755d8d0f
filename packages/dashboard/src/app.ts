import { type CoverageResult, LacunaClient } from "@lacuna/client";
import { fetchWithApiKey } from "./api-key.js";
import { type Controls, coverageInput, fieldError, sameProjection } from "./controls.js";
import { h } from "./dom.js";
import { pageHeader } from "./page-header.js";
import { flaggedRows, runResultOf } from "./flagged.js";
import { CollectPanel } from "./panels/collect.js";
import { CrossPanel } from "./panels/cross.js";
import { PastPanel } from "./panels/past.js";
import { DetailPanel } from "./panels/detail.js";
import { GapsPanel } from "./panels/gaps.js";
import { FormPanel } from "./panels/form.js";
import { GridPanel } from "./panels/grid.js";
import { PerClassPanel } from "./panels/per-class.js";
import { ScatterPanel } from "./panels/scatter.js";
import { StatusPanel } from "./panels/status.js";
import { Run } from "./runner.js";
import { joinProjection } from "./join.js";
import { type Projected, projectRun } from "./projection-run.js";
import { type Shown, renderView } from "./render.js";
import { type ViewState, parseView, viewToQuery } from "./url-state.js";

/** History entries this page pushed for an open detail: how many Back takes to close it. */
interface Entry {
  readonly lacuna: true;
  readonly dialogDepth: number;
}

/**
 * The page: one module per panel, composed here. A run's results replace the previous run's only
 * when they are in; until then those are dimmed and said to be stale. Every view (settings, page,
 * order, colour, class, selection, open sample) is in the URL; opening things pushes history, so
 * Back steps back through them.
 */
export class Dashboard {
  private readonly client: LacunaClient;
  private readonly form: FormPanel;
  private readonly status: StatusPanel;
  private readonly scatter: ScatterPanel;
  private readonly grid: GridPanel;
  private readonly perClass: PerClassPanel;
  private readonly detail: DetailPanel;
  private readonly gaps: GapsPanel;
  private readonly collect: CollectPanel;
  private readonly cross: CrossPanel;
  private readonly past: PastPanel;
  private readonly results: HTMLElement;
  private view: ViewState = parseView("");
  private run: Run | null = null;
  private shown: Shown | null = null;
  /** Resolves when the latest run has settled (for tests and for pages that embed this one). */
  lastRun: Promise<void> = Promise.resolve();

  constructor(
    private readonly root: HTMLElement,
    url = "/graphql",
  ) {
    this.client = new LacunaClient({ url, fetch: fetchWithApiKey() });
    this.form = new FormPanel((controls) =>
      this.navigate(
        { ...this.view, controls, page: 0, sample: null, ...this.keptSelection(controls) },
        "push",
        0,
        true,
      ),
    );
    this.status = new StatusPanel(() => this.cancel());
    this.scatter = new ScatterPanel({
      onOpen: (index) => this.openSample(index),
      onBox: (box) => this.navigate({ ...this.view, box, page: 0 }, "push"),
      onColour: (colour) => this.navigate({ ...this.view, colour }, "replace"),
      thumbnail: async (index, signal) =>
        (await this.client.sample(this.view.controls.datasetId, index, { imageScale: 2, signal }))
          .image ?? null,
    });
    this.grid = new GridPanel({
      onOpen: (index) => this.openSample(index),
      onPage: (page) => this.navigate({ ...this.view, page }, "push"),
      onOrder: (order) => this.navigate({ ...this.view, order, page: 0 }, "replace"),
      load: (indices, signal) => {
        const shown = this.shown;
        if (!shown) return Promise.resolve([]);
        return this.client.samples(coverageInput(shown.controls), indices, {
          imageScale: 3,
          signal,
        });
      },
    });
    this.perClass = new PerClassPanel((cls) =>
      this.navigate({ ...this.view, cls, page: 0 }, "push"),
    );
    this.detail = new DetailPanel({
      onOpen: (index) => this.openSample(index),
      onClose: () => this.closeSample(),
      explain: (index, signal) => {
        const controls = this.shown?.controls ?? this.view.controls;
        return this.client.explain(coverageInput(controls), index, {
          images: true,
          imageScale: 4,
          signal,
        });
      },
    });
    this.gaps = new GapsPanel(this.client, (regions) => this.scatter.setRegions(regions));
    this.collect = new CollectPanel(this.client);
    this.cross = new CrossPanel(this.client);
    this.past = new PastPanel(
      this.client,
      () => this.view.controls.projection,
      (controls) => this.reopen(controls),
    );
    this.results = h(
      "div",
      { id: "results", class: "results" },
      this.scatter.element,
      this.grid.element,
      this.perClass.element,
      this.gaps.element,
      this.cross.element,
      this.collect.element,
    );
  }

  async start(): Promise<void> {
    this.root.replaceChildren(
      h(
        "main",
        {},
        pageHeader(),
        this.form.element,
        this.status.element,
        this.results,
        this.past.element,
        this.detail.element,
      ),
    );
    addEventListener("popstate", () => this.restore());
    try {
      const datasets = await this.client.datasets();
      this.form.setDatasets(datasets);
      this.collect.setDatasets(datasets);
      this.cross.setDatasets(datasets);
      void this.past.refresh();
    } catch (error) {
      this.status.showError(error, "cannot list the datasets: ");
    }
    const view = parseView(location.search);
    this.view = view;
    this.form.write(view.controls);
    // the URL's settings are checked like typed ones (a clamp, a field error), then run as they
    // are, the rest of the view (page, open sample, selection) kept
    const controls = this.form.check();
    if (controls) this.navigate({ ...view, controls }, "replace");
    else {
      const entry: Entry = { lacuna: true, dialogDepth: 0 };
      history.replaceState(entry, "", `?${viewToQuery(view)}`);
      this.status.setState("failed", "fix the highlighted field to run");
    }
    await this.lastRun;
  }

  /** Moves to a view: the URL first (pushed or replaced), then whatever changed is redrawn or rerun. */
  /** `retry`: a run of these settings that was cancelled or failed runs again (Run was pressed). */
  private navigate(
    next: ViewState,
    mode: "push" | "replace",
    dialogDepth = 0,
    retry = false,
  ): void {
    const query = `?${viewToQuery(next)}`;
    const entry: Entry = { lacuna: true, dialogDepth };
    if (mode === "push" && query !== location.search) history.pushState(entry, "", query);
    else history.replaceState(entry, "", query);
    this.apply(next, retry);
  }

  /** Back or Forward: the URL says what to show. */
  private restore(): void {
    const next = parseView(location.search);
    this.form.write(next.controls);
    // a close that went back to where the page was loaded with a sample open closes that one too
    if (this.closing && next.sample !== null) this.navigate({ ...next, sample: null }, "replace");
    else this.apply(next);
    this.closing = false;
  }

  /** Whether the Back that closeSample took is under way. */
  private closing = false;

  private apply(next: ViewState, retry = false): void {
    const rerun =
      !this.run ||
      (retry && this.run.isStopped) ||
      JSON.stringify(next.controls) !== JSON.stringify(this.run.controls);
    this.view = next;
    if (rerun) this.lastRun = this.execute(next.controls);
    this.render();
  }

  /** A past result opens with its settings: the form shows them, and the run reads the store. */
  private reopen(controls: Controls): void {
    this.form.write(controls);
    const kept = this.keptSelection(controls);
    this.navigate({ ...this.view, controls, page: 0, sample: null, ...kept }, "push", 0, true);
  }

  /** A box selection survives a change of the coverage settings, not of the projection. */
  private keptSelection(controls: Controls): Partial<ViewState> {
    return sameProjection(controls, this.view.controls) ? {} : { box: null };
  }

  private openSample(index: number): void {
    const depth = (history.state as Entry | null)?.dialogDepth ?? 0;
    this.navigate(
      { ...this.view, sample: index },
      "push",
      this.view.sample === null ? 1 : depth + 1,
    );
  }

  private closeSample(): void {
    const depth = (history.state as Entry | null)?.dialogDepth ?? 0;
    if (depth > 0) {
      this.closing = true;
      history.go(-depth);
    } else this.navigate({ ...this.view, sample: null }, "replace");
  }

  private cancel(): void {
    const run = this.run;
    if (!run) return;
    run.stop(null, (error) => this.status.showError(error, "cancelling: "));
    this.status.coverage.set("", null);
    this.status.projection.set("", null);
    this.status.setState("cancelled", "cancelled: the server stopped the run's jobs");
    this.markStale();
  }

  private markStale(): void {
    const shown = this.shown;
    const stale =
      shown !== null && JSON.stringify(shown.controls) !== JSON.stringify(this.view.controls);
    this.results.classList.toggle("stale", stale);
    this.results.setAttribute(
      "aria-busy",
      String(stale && this.status.element.dataset.state === "running"),
    );
    this.status.showSummary(
      shown?.result ?? null,
      stale && shown
        ? `stale: these results are for k ${shown.controls.k}, first ${shown.controls.limit} of ${shown.controls.datasetId}`
        : "",
    );
  }

  /** Runs the settings: coverage and projection side by side, each replacing its part when in. */
  private async execute(controls: Controls): Promise<void> {
    const run = new Run(controls, this.client);
    this.run?.stop(controls, (error) =>
      this.status.showError(error, "cancelling the previous run: "),
    );
    this.run = run;
    this.form.showError(null);
    this.status.showError(null);
    this.status.setState("running", "");
    this.markStale();
    const coverage = run.coverage((phase, f) => this.status.coverage.set(phase, f));
    const projection = this.runProjection(run, coverage);
    try {
      const result = await coverage;
      this.status.coverage.set("done", null);
      if (run.signal.aborted) return;
      this.show(run, result);
    } catch (error) {
      this.status.coverage.set("", null);
      if (run.signal.aborted) return;
      this.fail(error);
      // nothing of a failed run is shown: its projection stops too
      run.stop(null, (e) => console.warn("cancelling the failed run's projection:", e));
      this.scatter.setNote(this.shown ? "these points are from the previous settings" : "");
      return;
    }
    const drawn = await projection;
    if (this.run !== run || run.signal.aborted) return;
    // never "done" without a scatter: a failed projection fails the run, its reason on the scatter
    if (drawn) this.status.setState("done", "done");
    else this.status.setState("failed", "the projection failed: its reason is on the scatter");
  }

  private fail(error: unknown): void {
    const onField =
      error instanceof Error
        ? fieldError((error as { argument?: string }).argument, error.message)
        : undefined;
    if (onField) this.form.showError(onField.field, onField.message);
    this.status.showError(
      error,
      this.shown ? "the results below are from the previous settings. " : "",
    );
    this.status.projection.set("", null);
    this.status.setState("failed", "failed");
    this.markStale();
  }

  /** The run's projection, joined to its coverage once both are in; false when it failed. */
  private async runProjection(run: Run, coverage: Promise<CoverageResult>): Promise<boolean> {
    const projected = await projectRun(run, coverage, this.scatter, this.status.projection);
    if (!projected) return false;
    // the coverage result of the same run joins it (it may still be on its way)
    this.pendingProjection = { run, ...projected };
    this.joinIfReady();
    return true;
  }

  private pendingProjection: (Projected & { readonly run: Run }) | null = null;

  private joinIfReady(): void {
    const pending = this.pendingProjection;
    const shown = this.shown;
    if (!pending || !shown || pending.run !== this.run || shown.controls !== pending.run.controls)
      return;
    shown.joined = joinProjection(pending.projection, shown.rows, shown.flagged);
    this.scatter.setPoints(
      shown.joined.points,
      `${pending.projection.method} projection of ${pending.projection.count} samples, ${shown.flagged.byRadius.length} flagged ringed`,
    );
    this.scatter.setNote(pending.note);
    this.render();
  }

  /** A run's coverage result is in: it replaces what was shown, per-class report to follow. */
  private show(run: Run, result: CoverageResult): void {
    const rows = runResultOf(result);
    const previous = this.shown;
    const shown: Shown = {
      controls: run.controls,
      result,
      rows,
      flagged: flaggedRows(rows),
      report: null,
      joined: null,
      selected: null,
    };
    this.shown = shown;
    this.markStale();
    if (
      previous?.joined &&
      sameProjection(previous.controls, run.controls) &&
      this.pendingProjection?.run !== run
    ) {
      // same points, new radii: re-join the projection already on screen
      shown.joined = joinProjection(previous.joined.projection, rows, shown.flagged);
      this.scatter.setPoints(
        shown.joined.points,
        this.scatter.element.querySelector("canvas")?.getAttribute("aria-label") ?? "projection",
      );
    }
    this.joinIfReady();
    this.render();
    this.collect.setReference(coverageInput(run.controls));
    this.cross.setReference(coverageInput(run.controls));
    void this.past.refresh();
    void this.gaps.load(
      result.id,
      coverageInput(run.controls),
      () => this.shown === shown && !run.signal.aborted,
    );
    this.client
      .perClass(coverageInput(run.controls), { signal: run.signal })
      .then((report) => {
        // the report belongs to this run's result, and is drawn only with it
        if (this.shown !== shown || run.signal.aborted) return;
        shown.report = report;
        this.render();
      })
      .catch((error: unknown) => {
        if (!run.signal.aborted) this.status.showError(error, "per-class report: ");
      });
  }

  /** Redraws every panel from the view and the shown result. */
  private render(): void {
    this.view = renderView(
      { scatter: this.scatter, grid: this.grid, perClass: this.perClass, detail: this.detail },
      this.shown,
      this.view,
    );
  }
}
