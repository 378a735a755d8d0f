import { type CoverageResult, type Dataset, LacunaClient, LacunaError } from "@lacuna/client";
import { type Controls, controlsFromQuery, controlsToQuery, coverageInput } from "./controls.js";
import { byId, formatNumber, h } from "./dom.js";
import { renderGrid } from "./grid.js";

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
  /** Resolves once the first run has finished (for tests and for the scripts that embed the page). */
  lastRun: Promise<void> = Promise.resolve();

  constructor(
    private readonly root: HTMLElement,
    url = "/graphql",
  ) {
    this.client = new LacunaClient({ url });
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
      let result: CoverageResult;
      try {
        const job = await this.client.startCoverage(input);
        const done = await this.client.waitForJob(job.id, {
          signal: controller.signal,
          intervalMs: 200,
          onProgress: (j) => this.showProgress(j.phase ?? j.status.toLowerCase(), j.progress),
        });
        result = done.result;
      } catch (error) {
        // a server with an API key refuses the mutation: the plain query still works, without progress
        if (!(error instanceof LacunaError && error.code === "UNAUTHENTICATED")) throw error;
        result = await this.client.coverage(input);
      }
      const withImages = await this.client.coverage(input, {
        images: true,
        imageScale: 3,
        first: 100,
      });
      if (controller.signal.aborted) return;
      this.showProgress("done", 1);
      this.renderSummary(withImages, result.seconds);
      renderGrid(
        byId("grid"),
        withImages.uncovered,
        (sample) => void this.showDetail(controls, sample.index),
      );
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

  private renderSummary(result: CoverageResult, seconds: number): void {
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
      const sample = await this.client.sample(controls.datasetId, index, { imageScale: 10 });
      body.replaceChildren(
        h("h2", {}, `Image ${index}`),
        sample.image ? h("img", { src: sample.image, alt: `image ${index}`, class: "large" }) : "",
        h("p", {}, `label ${sample.labelName ?? "?"}`),
      );
    } catch (error) {
      body.replaceChildren(
        h("p", { role: "alert" }, error instanceof Error ? error.message : String(error)),
      );
    }
  }
}
