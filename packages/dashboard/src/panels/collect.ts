import type { CollectResult, CoverageInput, Dataset, LacunaClient } from "@lacuna/client";
import { h } from "../dom.js";
import { DatasetPicker } from "./dataset-picker.js";
import { downloadLinks } from "./gaps.js";

/**
 * What to label next (issue 17): a pool (a dataset and its first n images) and a budget; the
 * pool images that best close the reference's gaps, in pick order, with the deficit before and
 * after and the coverage recomputed with them, and downloads of the list.
 */
export class CollectPanel {
  readonly element: HTMLElement;
  private readonly pool = new DatasetPicker("collect-pool", "pool", 2000);
  private readonly budget: HTMLInputElement;
  private readonly button: HTMLButtonElement;
  private readonly summary: HTMLElement;
  private readonly picks: HTMLElement;
  private reference: CoverageInput | null = null;

  constructor(private readonly client: LacunaClient) {
    this.budget = h("input", { id: "collect-budget", type: "number", min: 0, value: 20 });
    this.button = h("button", { type: "button", id: "collect-run", disabled: true }, "Choose");
    this.summary = h("p", { id: "collect-summary", class: "note" });
    this.picks = h("ol", { id: "collect-picks", class: "picks" });
    this.button.addEventListener("click", () => void this.run());
    this.element = h(
      "section",
      { class: "panel", id: "collect", "aria-labelledby": "collect-title" },
      h("h2", { id: "collect-title" }, "What to label next"),
      h(
        "p",
        { class: "help" },
        "Choose the pool images that give the flagged samples the most neighbours within the coverage radius (greedy, within 1 − 1/e of the best).",
      ),
      h(
        "div",
        { class: "collect-form" },
        ...this.pool.fields(),
        h("label", { for: "collect-budget" }, " budget "),
        this.budget,
        " ",
        this.button,
      ),
      this.summary,
      this.picks,
    );
  }

  setDatasets(datasets: readonly Dataset[]): void {
    this.pool.setDatasets(datasets);
  }

  /** The reference the picks are for: the coverage on screen. */
  setReference(input: CoverageInput | null): void {
    this.reference = input;
    this.button.disabled = input === null;
  }

  private async run(): Promise<void> {
    const reference = this.reference;
    if (!reference) return;
    this.button.disabled = true;
    this.summary.textContent = "choosing…";
    this.picks.replaceChildren();
    let result: CollectResult;
    try {
      result = await this.client.collect(
        {
          reference: { datasetId: reference.datasetId, selection: reference.selection },
          pool: this.pool.value(),
          budget: Number(this.budget.value),
          numObservations: reference.numObservations,
          percent: reference.percent,
          method: reference.method,
        },
        { first: 100, images: true, imageScale: 2 },
      );
    } catch (error) {
      this.summary.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
      return;
    } finally {
      this.button.disabled = this.reference === null;
    }
    this.summary.replaceChildren(
      `${result.selected.length} picks: deficit ${result.deficitBefore} → ${result.deficitAfter}; `,
      `with them ${result.recomputed.resolved} of ${result.flaggedCount} flagged samples are no longer flagged. `,
      downloadLinks(this.client, "collect", result.id),
    );
    this.picks.replaceChildren(
      ...result.picks.map((p) =>
        h(
          "li",
          { class: "pick", "data-index": p.sample.index },
          p.sample.image
            ? h("img", {
                src: p.sample.image,
                alt: `pick ${p.pick}: #${p.sample.index}`,
                width: 56,
                height: 56,
              })
            : null,
          h("small", {}, `#${p.sample.index} ${p.sample.labelName ?? ""} +${p.gain}`),
        ),
      ),
    );
  }
}
