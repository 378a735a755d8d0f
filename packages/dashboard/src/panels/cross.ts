import type { CoverageInput, CrossCoverageResult, Dataset, LacunaClient } from "@lacuna/client";
import { formatNumber, h } from "../dom.js";
import { DatasetPicker } from "./dataset-picker.js";
import { downloadLinks } from "./gaps.js";

/** How many uncovered query samples the view shows (the download has them all). */
const SHOWN = 60;

/**
 * Reference against query (issue 17): does the coverage on screen (the reference) cover another
 * set (the query: a dataset and its first n images)? The reference's coverage radius, the share
 * of the query above it overall and per class, the uncovered query images beside their nearest
 * reference image, and the query's gap regions, with downloads.
 */
export class CrossPanel {
  readonly element: HTMLElement;
  private readonly query = new DatasetPicker("cross-query", "query", 1000);
  private readonly button: HTMLButtonElement;
  private readonly summary: HTMLElement;
  private readonly classes: HTMLElement;
  private readonly uncovered: HTMLElement;
  private readonly regions: HTMLElement;
  private reference: CoverageInput | null = null;

  constructor(private readonly client: LacunaClient) {
    this.button = h("button", { type: "button", id: "cross-run", disabled: true }, "Compare");
    this.summary = h("p", { id: "cross-summary", class: "note" });
    this.classes = h("table", { id: "cross-classes", class: "cross-classes", hidden: true });
    this.uncovered = h("ol", { id: "cross-uncovered", class: "picks" });
    this.regions = h("ol", { id: "cross-regions", class: "gaps" });
    this.button.addEventListener("click", () => void this.run());
    this.element = h(
      "section",
      { class: "panel", id: "cross", "aria-labelledby": "cross-title" },
      h("h2", { id: "cross-title" }, "Does it cover another set?"),
      h(
        "p",
        { class: "help" },
        "The coverage on screen is the reference. A query sample is uncovered when its k-th nearest reference sample is farther than the reference's coverage radius.",
      ),
      h("div", { class: "collect-form" }, ...this.query.fields(), " ", this.button),
      this.summary,
      this.classes,
      this.uncovered,
      h("h3", {}, "Gap regions of the query"),
      this.regions,
    );
  }

  setDatasets(datasets: readonly Dataset[]): void {
    this.query.setDatasets(datasets);
  }

  /** The reference: the coverage on screen (null while there is none). */
  setReference(input: CoverageInput | null): void {
    this.reference = input;
    this.button.disabled = input === null;
  }

  private async run(): Promise<void> {
    const reference = this.reference;
    if (!reference) return;
    this.button.disabled = true;
    this.summary.textContent = "comparing…";
    this.classes.hidden = true;
    this.uncovered.replaceChildren();
    this.regions.replaceChildren();
    let result: CrossCoverageResult;
    try {
      result = await this.client.crossCoverage(
        {
          reference: { datasetId: reference.datasetId, selection: reference.selection },
          query: this.query.value(),
          numObservations: reference.numObservations,
          percent: reference.percent,
          method: reference.method,
        },
        { first: SHOWN, nearest: 1, images: true, imageScale: 2 },
      );
    } catch (error) {
      this.summary.textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
      return;
    } finally {
      this.button.disabled = this.reference === null;
    }
    this.show(result);
  }

  private show(r: CrossCoverageResult): void {
    const share = r.queryCount > 0 ? (100 * r.uncoveredCount) / r.queryCount : 0;
    this.summary.dataset.uncovered = String(r.uncoveredCount);
    this.summary.replaceChildren(
      `${r.uncoveredCount} of ${r.queryCount} query samples uncovered (${share.toFixed(1)} %) `,
      `at the reference's coverage radius ${formatNumber(r.coverageRadius, 4)}; `,
      r.uncoveredCount > SHOWN ? `the ${SHOWN} farthest shown. ` : "",
      downloadLinks(this.client, "cross", r.id),
    );
    const perClass = r.perClass ?? [];
    this.classes.hidden = perClass.length === 0;
    this.classes.replaceChildren(
      h("caption", {}, "Uncovered share per query class"),
      h("tr", {}, h("th", {}, "class"), h("th", {}, "uncovered"), h("th", {}, "share")),
      ...perClass.map((c) =>
        h(
          "tr",
          { "data-label": c.label },
          h("td", {}, c.labelName),
          h("td", {}, `${c.uncovered} of ${c.count}`),
          h("td", {}, `${(100 * c.uncoveredFraction).toFixed(1)} %`),
        ),
      ),
    );
    this.uncovered.replaceChildren(
      ...r.uncovered.map((u) => {
        const near = u.nearest[0];
        return h(
          "li",
          { class: "pick cross-pair", "data-index": u.sample.index, "data-nearest": near?.index },
          h(
            "span",
            {},
            thumb(u.sample.image, `query #${u.sample.index}`),
            thumb(near?.image, near ? `nearest reference #${near.index}` : ""),
          ),
          h(
            "small",
            {},
            `#${u.sample.index} ${u.sample.labelName ?? ""} → #${near?.index ?? "-"} (${formatNumber(u.radius, 3)})`,
          ),
        );
      }),
    );
    this.regions.replaceChildren(
      ...r.gapRegions.map((g) =>
        h(
          "li",
          { class: "gap-region", "data-region": g.id, "data-size": g.size },
          thumb(g.medoidSample.image, `typical image of query region ${g.id}: #${g.medoid}`),
          h(
            "span",
            {},
            h("b", {}, `${g.size} sample${g.size === 1 ? "" : "s"}`),
            `, deficit ${g.deficit}; `,
            g.classMix.map((c) => `${c.labelName} ×${c.count}`).join(", ") || "unlabelled",
            " ",
            downloadLinks(this.client, "cross", r.id, g.id),
          ),
        ),
      ),
    );
  }
}

/** A 56 px image, or nothing without a picture. */
function thumb(src: string | null | undefined, alt: string): HTMLElement | null {
  return src ? h("img", { src, alt, width: 56, height: 56 }) : null;
}
