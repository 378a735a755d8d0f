import { type CoverageResult, type Dataset, LacunaClient, LacunaError } from "@lacuna/client";
import { fetchWithApiKey } from "./api-key.js";
import { type Controls, controlsFromQuery, controlsToQuery, coverageInput } from "./controls.js";
import { byId, formatNumber, h } from "./dom.js";
import { renderGrid } from "./grid.js";
import { classColour, drawScatter } from "./scatter.js";

/** The page's fixed skeleton; the parts that change are filled in by id. */
function skeleton(): HTMLElement {
  const number = (name: string, label: string, attrs: Record<string, string | number>) =>
    h("label", {}, label, h("input", { name, type: "number", required: true, ...attrs }));
  return h(
    "main",
    {},
    h(
      "header",
      {},
      h("h1", {}, "Lacuna"),
      h("nav", {}, h("a", { href: "/graphiql.html" }, "GraphiQL explorer")),
      h(
        "p",
        {},
        "The undersampled parts of an image dataset: the samples whose k-th nearest neighbour is farthest away.",
      ),
    ),
    h(
      "form",
      { id: "controls", "aria-label": "coverage settings" },
      h("label", {}, "dataset", h("select", { name: "dataset", id: "dataset" })),
      number("limit", "first n", { min: 2, step: 1 }),
      number("k", "k", { min: 1, step: 1 }),
      number("percent", "percent", { min: 0.0001, max: 1, step: "any" }),
      h(
        "label",
        {},
        "method",
        h(
          "select",
          { name: "method" },
          h("option", { value: "ADAPTIVE" }, "adaptive"),
          h("option", { value: "NAIVE" }, "naive"),
        ),
      ),
      h(
        "label",
        {},
        "projection",
        h(
          "select",
          { name: "projection" },
          h("option", { value: "TSNE" }, "t-SNE"),
          h("option", { value: "UMAP" }, "UMAP"),
          h("option", { value: "PCA" }, "PCA"),
        ),
      ),
      h("button", { type: "submit" }, "Run"),
    ),
    h(
      "div",
      { id: "status", role: "status", "aria-live": "polite" },
      h("progress", { id: "progress", max: 1, value: 0, hidden: true }),
      h("span", { id: "phase" }),
    ),
    h("div", { id: "error", role: "alert", hidden: true }),
    h("section", { id: "summary", "aria-label": "summary" }),
    h(
      "div",
      { class: "panels" },
      h(
        "section",
        { id: "projection-panel" },
        h("h2", {}, "Projection"),
        h("div", { id: "projection" }),
      ),
      h("section", {}, h("h2", {}, "Least covered"), h("div", { id: "grid", class: "grid" })),
    ),
    h(
      "section",
      { id: "per-class-panel", hidden: true },
      h("h2", {}, "Per class"),
      h("div", { id: "per-class" }),
    ),
    h(
      "dialog",
      { id: "detail" },
      h("div", { id: "detail-body" }),
      h("form", { method: "dialog" }, h("button", {}, "Close")),
    ),
  );
}

export class Dashboard {
  private readonly client: LacunaClient;
  private running: AbortController | null = null;
  private datasets: Dataset[] = [];
  private lastCount = 0;
  /** Resolves once the first run has finished (for tests and for the scripts that embed the page). */
  lastRun: Promise<void> = Promise.resolve();

  constructor(
    private readonly root: HTMLElement,
    url = "/graphql",
  ) {
    this.client = new LacunaClient({ url, fetch: fetchWithApiKey() });
  }

  async start(): Promise<void> {
    this.root.replaceChildren(skeleton());
    const form = byId<HTMLFormElement>("controls");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.lastRun = this.run(this.readControls());
    });
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => form.requestSubmit());
    }
    const controls = controlsFromQuery(location.search);
    try {
      this.datasets = await this.client.datasets();
    } catch (error) {
      this.showError(error);
    }
    byId<HTMLSelectElement>("dataset").replaceChildren(
      ...this.datasets.map((d) => h("option", { value: d.id }, `${d.name} (${d.size})`)),
    );
    this.writeControls(controls);
    this.lastRun = this.run(controls);
    await this.lastRun;
  }

  private readControls(): Controls {
    const data = new FormData(byId<HTMLFormElement>("controls"));
    const text = (name: string) => String(data.get(name) ?? "");
    return {
      datasetId: text("dataset"),
      limit: Number(text("limit")),
      k: Number(text("k")),
      percent: Number(text("percent")),
      method: text("method") === "NAIVE" ? "NAIVE" : "ADAPTIVE",
      projection:
        (["TSNE", "UMAP", "PCA"] as const).find((m) => m === text("projection")) ?? "TSNE",
    };
  }

  private writeControls(controls: Controls): void {
    const form = byId<HTMLFormElement>("controls");
    const set = (name: string, value: string | number) => {
      const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
      if (field) field.value = String(value);
    };
    set("dataset", controls.datasetId);
    set("limit", controls.limit);
    set("k", controls.k);
    set("percent", controls.percent);
    set("method", controls.method);
    set("projection", controls.projection);
  }

  /** Runs coverage for the controls, showing progress; a newer run cancels the wait of an older one. */
  async run(controls: Controls): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    history.replaceState(null, "", `?${controlsToQuery(controls)}`);
    this.showError(null);
    const input = coverageInput(controls);
    try {
      this.showProgress("queued", 0);
      // the images come with the finished job's result: one request, not a second query
      const view = { images: true, imageScale: 3, first: 100 };
      let result: CoverageResult;
      try {
        const job = await this.client.startCoverage(input);
        const done = await this.client.waitForJob(job.id, {
          ...view,
          signal: controller.signal,
          intervalMs: 200,
          onProgress: (j) => this.showProgress(j.phase ?? j.status.toLowerCase(), j.progress),
        });
        result = done.result;
      } catch (error) {
        // a server with an API key refuses the mutation: the plain query still works, without progress
        if (!(error instanceof LacunaError && error.code === "UNAUTHENTICATED")) throw error;
        result = await this.client.coverage(input, view);
      }
      if (controller.signal.aborted) return;
      this.showProgress("done", 1);
      this.renderSummary(result);
      this.lastCount = result.count;
      renderGrid(
        byId("grid"),
        result.uncovered,
        (sample) => void this.showDetail(controls, sample.index),
      );
      await Promise.all([
        this.renderPerClass(controls),
        this.renderProjection(controls, result, controller.signal),
      ]);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.showProgress("", 0, true);
      this.showError(error);
    }
  }

  private showProgress(phase: string, fraction: number, hide = false): void {
    const bar = byId<HTMLProgressElement>("progress");
    bar.hidden = hide || fraction >= 1;
    bar.value = fraction;
    byId("phase").textContent = hide
      ? ""
      : fraction >= 1
        ? "done"
        : `${phase} ${(fraction * 100).toFixed(0)} %`;
  }

  private showError(error: unknown): void {
    const box = byId("error");
    if (error === null) {
      box.hidden = true;
      box.textContent = "";
      return;
    }
    box.hidden = false;
    const code = error instanceof LacunaError ? `${error.code}: ` : "";
    box.textContent = `${code}${error instanceof Error ? error.message : String(error)}`;
  }

  private renderSummary(result: CoverageResult): void {
    const { seconds } = result;
    byId("summary").replaceChildren(
      h(
        "p",
        {},
        `coverage radius ${formatNumber(result.coverageRadius, 6)} · ${result.uncoveredCount} of ${result.count} uncovered · `,
        `k ${result.numObservations} · ${result.method.toLowerCase()}`,
        result.method === "ADAPTIVE" ? ` ${formatNumber(result.percent)}` : "",
        ` · ${result.dimensions}-d embeddings · computed in ${seconds.toFixed(2)} s (${result.backend})`,
      ),
    );
  }

  private async showDetail(controls: Controls, index: number): Promise<void> {
    const dialog = byId<HTMLDialogElement>("detail");
    const body = byId("detail-body");
    body.replaceChildren(h("p", {}, "loading…"));
    dialog.showModal();
    try {
      const why = await this.client.explain(coverageInput(controls), index, {
        images: true,
        imageScale: 4,
      });
      const label = why.labelName ?? "?";
      body.replaceChildren(
        h("h2", {}, `Image ${index}, label ${label}`),
        why.image
          ? h("img", { src: why.image, alt: `image ${index}, label ${label}`, class: "large" })
          : "",
        h(
          "p",
          { class: "why" },
          `radius ${formatNumber(why.radius ?? 0, 4)} ${why.exceedsCoverageRadius ? ">" : "<="} coverage radius ${formatNumber(why.coverageRadius, 4)}: `,
          why.exceedsCoverageRadius ? "flagged" : "covered",
          ` · rank ${why.rank} of ${this.lastCount} by radius`,
        ),
        h("h3", {}, `Its ${why.numObservations} nearest neighbours`),
        h(
          "div",
          { class: "neighbours" },
          (why.neighbours ?? []).map((n) =>
            h(
              "figure",
              {},
              n.image
                ? h("img", {
                    src: n.image,
                    alt: `neighbour ${n.index}, label ${n.labelName ?? "?"}`,
                  })
                : "",
              h("figcaption", {}, `${n.labelName ?? "?"} · ${formatNumber(n.distance, 3)}`),
            ),
          ),
        ),
      );
    } catch (error) {
      body.replaceChildren(
        h("p", { role: "alert" }, error instanceof Error ? error.message : String(error)),
      );
    }
  }

  private async renderProjection(
    controls: Controls,
    result: CoverageResult,
    signal: AbortSignal,
  ): Promise<void> {
    const panel = byId("projection");
    panel.replaceChildren(
      h("p", { class: "note" }, `projecting (${controls.projection.toLowerCase()})…`),
    );
    try {
      const projection = await this.client.projection(controls.datasetId, {
        selection: { limit: controls.limit },
        method: controls.projection,
      });
      if (signal.aborted) return;
      const rowOf = new Map<number, number>();
      projection.indices.forEach((index, row) => rowOf.set(index, row));
      const uncovered = new Set<number>();
      for (const s of result.uncovered) {
        const row = rowOf.get(s.index);
        if (row !== undefined) uncovered.add(row);
      }
      const canvas = h("canvas", {
        id: "scatter",
        role: "img",
        "aria-label": `${controls.projection} projection of ${projection.count} samples, ${uncovered.size} uncovered ringed`,
        "data-points": projection.count,
        "data-uncovered": uncovered.size,
      });
      const classes = [...new Set(projection.labels.filter((l): l is number => l !== null))].sort(
        (a, b) => a - b,
      );
      const legend = h(
        "p",
        { class: "legend" },
        classes.map((c) =>
          h("span", {}, h("i", { style: `background:${classColour(c)}` }), ` ${c} `),
        ),
        h("span", {}, h("i", { class: "ring" }), " uncovered"),
      );
      panel.replaceChildren(canvas, legend);
      drawScatter(canvas, projection.coordinates, projection.labels, uncovered);
    } catch (error) {
      if (signal.aborted) return;
      panel.replaceChildren(
        h(
          "p",
          { role: "alert" },
          `projection failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  }

  private async renderPerClass(controls: Controls): Promise<void> {
    const panel = byId("per-class-panel");
    const report = await this.client.perClass(coverageInput(controls));
    const rows = report.perClass;
    panel.hidden = !rows;
    if (!rows) return;
    const cell = (v: number | null, digits = 3) => (v === null ? "–" : v.toFixed(digits));
    byId("per-class").replaceChildren(
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            [
              "class",
              "count",
              "uncovered",
              "fraction",
              "dispersion",
              "isotropy",
              "near duplicates",
            ].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              { class: r.assessable ? "" : "small-class" },
              h("th", { scope: "row" }, r.className),
              h("td", {}, String(r.count)),
              h("td", {}, String(r.uncovered)),
              h("td", {}, cell(r.uncoveredFraction)),
              h("td", {}, cell(r.dispersion)),
              h("td", {}, cell(r.isotropy)),
              h("td", {}, cell(r.nearDuplicateFraction)),
            ),
          ),
        ),
      ),
      h(
        "p",
        { class: "note" },
        `completeness ${report.statistics.completeness.toFixed(3)} · isotropy ${report.statistics.isotropy.toFixed(3)} (dataset level)`,
      ),
    );
  }
}
