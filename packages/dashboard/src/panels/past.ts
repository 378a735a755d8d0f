import {
  CoverageMethod,
  type CoverageSummary,
  type LacunaClient,
  type ProjectionMethod,
} from "@lacuna/client";
import { type Controls, controlsOfResult, percentText } from "../controls.js";
import { formatNumber, h } from "../dom.js";

/** How many stored results the list shows (newest first). */
const LISTED = 20;

/**
 * Past results (issue 19): the coverage results the server keeps, newest first, each with its
 * settings; opening one shows its view with those settings (the result comes from the store).
 * Results the form cannot ask for again (a selection by indices or classes) are listed, not
 * openable.
 */
export class PastPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly note: HTMLElement;
  /** Each refresh supersedes the one before (results arrive out of order otherwise). */
  private generation = 0;

  constructor(
    private readonly client: LacunaClient,
    private readonly projection: () => ProjectionMethod,
    private readonly onOpen: (controls: Controls) => void,
  ) {
    this.note = h("p", { id: "past-note", class: "note" }, "loading…");
    this.list = h("ol", { id: "past-list", class: "past" });
    this.element = h(
      "section",
      { class: "panel", id: "past", "aria-labelledby": "past-title" },
      h("h2", { id: "past-title" }, "Past results"),
      this.note,
      this.list,
    );
  }

  /** Lists the newest stored results again (after a run stored one). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    let results: CoverageSummary[];
    try {
      results = (await this.client.coverageResults({ first: LISTED })).edges.map((e) => e.node);
    } catch (error) {
      if (generation === this.generation)
        this.note.textContent = `cannot list past results: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    if (generation !== this.generation) return;
    this.note.textContent =
      results.length === 0 ? "none yet" : `the ${results.length} newest, newest first`;
    this.list.replaceChildren(...results.map((r) => this.item(r)));
  }

  private item(r: CoverageSummary): HTMLElement {
    const controls = controlsOfResult(r, this.projection());
    const selection = r.selection;
    const what =
      selection.indexCount !== null
        ? `${selection.indexCount} listed samples`
        : `${selection.limit === null ? "all" : `first ${selection.limit}`}${selection.classes ? ` of classes ${selection.classes.join(", ")}` : ""}`;
    const method =
      r.method === CoverageMethod.Adaptive ? `adaptive ${percentText(r.percent)} %` : "naive";
    const button = h(
      "button",
      {
        type: "button",
        class: "past-open",
        disabled: controls === null,
        title: controls === null ? "the form cannot ask for this selection" : undefined,
      },
      "Open",
    );
    if (controls) button.addEventListener("click", () => this.onOpen(controls));
    return h(
      "li",
      { class: "past-result", "data-id": r.id },
      button,
      " ",
      h("b", {}, r.datasetId),
      ` · ${what} · k ${r.numObservations} · ${method} · ${r.uncoveredCount} of ${r.count} flagged · radius ${formatNumber(r.coverageRadius, 4)} · `,
      h("time", { datetime: r.createdAt }, new Date(r.createdAt).toLocaleString()),
    );
  }
}
