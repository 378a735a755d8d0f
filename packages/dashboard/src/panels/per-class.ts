import type { ClassCoverage, PerClassReport } from "@lacuna/client";
import { classColour } from "@lacuna/core/palette";
import { h } from "../dom.js";
import type { ClassCount } from "../flagged.js";

type Column = "class" | "count" | "flagged" | "fraction" | "dispersion" | "isotropy" | "duplicates";

interface ColumnSpec {
  readonly title: string;
  readonly help: string;
  readonly value: (row: Row) => number | null;
}

/** A table row: the counts of the rows in view, DataEval's statistics of the whole class. */
interface Row {
  readonly cls: number;
  readonly name: string;
  readonly count: number;
  readonly flagged: number;
  readonly stats: ClassCoverage | undefined;
}

const COLUMNS: Record<Column, ColumnSpec> = {
  class: { title: "class", help: "The label.", value: (r) => r.cls },
  count: { title: "samples", help: "Samples of the class in view.", value: (r) => r.count },
  flagged: {
    title: "flagged",
    help: "Of those, how many are flagged (few similar samples).",
    value: (r) => r.flagged,
  },
  fraction: {
    title: "flagged share",
    help: "Flagged over samples: the higher, the more of this class lies in sparse regions. Collect here first.",
    value: (r) => (r.count > 0 ? r.flagged / r.count : null),
  },
  dispersion: {
    title: "dispersion",
    help: "Median distance to the class centre over that of a typical class (DataEval): above 1, a class spread wide, needing more samples to cover.",
    value: (r) => r.stats?.dispersion ?? null,
  },
  isotropy: {
    title: "isotropy",
    help: "1 when the class spreads equally in every direction, near 0 when it lies along few.",
    value: (r) => r.stats?.isotropy ?? null,
  },
  duplicates: {
    title: "near duplicates",
    help: "Share of samples with a same-class neighbour much closer than usual: high means redundant samples, not missing ones.",
    value: (r) => r.stats?.nearDuplicateFraction ?? null,
  },
};

const ORDER: readonly Column[] = [
  "class",
  "count",
  "flagged",
  "fraction",
  "dispersion",
  "isotropy",
  "duplicates",
];

/**
 * Per class as a "where to collect" view: samples and flagged samples of each class among those in
 * view (the scatter's selection narrows them), the flagged share as a bar, DataEval's per-class
 * statistics beside them; every column sortable and explained; a class name filters the grid and
 * the scatter to that class. It is always drawn from one run's numbers, passed in together.
 */
export class PerClassPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly foot: HTMLElement;
  private sort: { column: Column; descending: boolean } = { column: "fraction", descending: true };
  private last: {
    counts: ClassCount[];
    report: PerClassReport | null;
    cls: number | null;
    scope: string;
  } | null = null;

  constructor(private readonly onClass: (cls: number | null) => void) {
    this.body = h("div", { id: "per-class" });
    this.foot = h("p", { class: "note", id: "per-class-note" });
    this.element = h(
      "section",
      { id: "per-class-panel", class: "panel", "aria-labelledby": "per-class-title" },
      h("h2", { id: "per-class-title" }, "Where to collect"),
      h(
        "p",
        { class: "note" },
        "Each class's share of flagged samples: classes high on this list have many images with few similar ones. More images like those flagged there cover the gaps best. Choose a class to see only its samples.",
      ),
      this.body,
      this.foot,
      h(
        "details",
        { id: "per-class-help" },
        h("summary", {}, "What the columns mean"),
        h(
          "dl",
          {},
          ORDER.flatMap((column) => [
            h("dt", {}, COLUMNS[column].title),
            h("dd", {}, COLUMNS[column].help),
          ]),
        ),
      ),
    );
  }

  /**
   * Draws the table. `counts` are of the rows in view (`scope` says which: "in the selection");
   * `report` is the run's DataEval report, null while it loads or for unlabelled data.
   */
  show(
    counts: ClassCount[],
    report: PerClassReport | null,
    cls: number | null,
    scope: string,
  ): void {
    this.last = { counts, report, cls, scope };
    const byClass = new Map((report?.perClass ?? []).map((r) => [r.class, r]));
    const rows: Row[] = counts.map((c) => {
      const stats = byClass.get(c.cls);
      return {
        cls: c.cls,
        name: stats?.className ?? String(c.cls),
        count: c.count,
        flagged: c.flagged,
        stats,
      };
    });
    if (rows.length === 0) {
      this.body.replaceChildren(
        h("p", { class: "note" }, "No labels: there are no classes to compare."),
      );
      this.foot.textContent = "";
      return;
    }
    const spec = COLUMNS[this.sort.column];
    const sign = this.sort.descending ? -1 : 1;
    rows.sort((a, b) => {
      const va = spec.value(a) ?? -Infinity;
      const vb = spec.value(b) ?? -Infinity;
      return sign * (va - vb) || a.cls - b.cls;
    });
    const most = Math.max(...rows.map((r) => COLUMNS.fraction.value(r) ?? 0), 1e-12);
    const header = ORDER.map((column) => {
      const sorted = this.sort.column === column;
      const button = h(
        "button",
        { type: "button", class: "sort", title: COLUMNS[column].help },
        COLUMNS[column].title,
        sorted ? (this.sort.descending ? " ▼" : " ▲") : "",
      );
      button.addEventListener("click", () => {
        this.sort = { column, descending: sorted ? !this.sort.descending : column !== "class" };
        if (this.last)
          this.show(this.last.counts, this.last.report, this.last.cls, this.last.scope);
      });
      return h(
        "th",
        {
          scope: "col",
          "aria-sort": sorted ? (this.sort.descending ? "descending" : "ascending") : "none",
        },
        button,
      );
    });
    const cell = (v: number | null, digits = 3) => (v === null ? "–" : v.toFixed(digits));
    const table = h(
      "table",
      {},
      h("caption", {}, `Per class${scope ? `, ${scope}` : ""}; a heading sorts by its column`),
      h("thead", {}, h("tr", {}, header)),
      h(
        "tbody",
        {},
        rows.map((r) => {
          const fraction = COLUMNS.fraction.value(r);
          const pick = h(
            "button",
            {
              type: "button",
              class: "class-pick",
              "aria-pressed": String(cls === r.cls),
              "data-class": r.cls,
            },
            h("i", { style: `background:${classColour(r.cls)}` }),
            ` ${r.name}`,
          );
          pick.addEventListener("click", () => this.onClass(cls === r.cls ? null : r.cls));
          return h(
            "tr",
            {
              class: [
                r.stats && !r.stats.assessable ? "small-class" : "",
                cls === r.cls ? "chosen" : "",
              ]
                .join(" ")
                .trim(),
            },
            h("th", { scope: "row" }, pick),
            h("td", {}, String(r.count)),
            h("td", {}, String(r.flagged)),
            h(
              "td",
              { class: "bar-cell" },
              h(
                "div",
                { class: "bar-wrap" },
                h(
                  "span",
                  { class: "bar-track", "aria-hidden": "true" },
                  h("span", {
                    class: "bar",
                    style: `width:${(((fraction ?? 0) / most) * 100).toFixed(1)}%`,
                  }),
                ),
                h(
                  "span",
                  { class: "bar-text" },
                  fraction === null ? "–" : `${(fraction * 100).toFixed(1)} %`,
                ),
              ),
            ),
            h("td", {}, cell(COLUMNS.dispersion.value(r))),
            h("td", {}, cell(COLUMNS.isotropy.value(r))),
            h("td", {}, cell(COLUMNS.duplicates.value(r))),
          );
        }),
      ),
    );
    this.body.replaceChildren(h("div", { class: "table-scroll" }, table));
    this.foot.textContent = report
      ? `Dataset: completeness ${report.statistics.completeness.toFixed(3)}, isotropy ${report.statistics.isotropy.toFixed(3)}. Greyed rows: classes too small for DataEval's statistics.`
      : "DataEval's per-class statistics are loading…";
  }
}
