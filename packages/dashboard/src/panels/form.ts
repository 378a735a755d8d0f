import { CoverageMethod, type Dataset, ProjectionMethod } from "@lacuna/client";
import { adaptiveSelectionSize } from "@lacuna/core";
import {
  COVERAGE_METHODS,
  type Controls,
  type Field,
  PROJECTION_METHODS,
  checkControls,
  fractionOfPercent,
  oneOf,
  percentText,
} from "../controls.js";
import { h } from "../dom.js";

const METHOD_TEXT: Record<CoverageMethod, string> = {
  [CoverageMethod.Adaptive]: "adaptive",
  [CoverageMethod.Naive]: "naive",
};
const PROJECTION_TEXT: Record<ProjectionMethod, string> = {
  [ProjectionMethod.Tsne]: "t-SNE",
  [ProjectionMethod.Umap]: "UMAP",
  [ProjectionMethod.Pca]: "PCA",
};
const HELP: Partial<Record<Field, string>> = {
  limit: "How many samples, from the start of the dataset.",
  k: "A sample's radius is the distance to its k-th nearest neighbour: larger k judges wider neighbourhoods.",
  percent: "Adaptive flags this share of samples, those with the largest radii. 1 means 1 %.",
  method:
    "Adaptive: the coverage radius is set so that the fraction above is flagged. Naive: a fixed radius for uniformly spread data; every sample beyond it is flagged, however many.",
};
const FIELDS: readonly Field[] = ["dataset", "limit", "k", "percent", "method", "projection"];

/**
 * The run's settings: each field with its help, its own error and a note when its value was
 * changed (first n clamped to the dataset). The fraction is typed in % with its count beside it;
 * it is disabled under naive, which does not use it. Checks run before anything is sent; an
 * invalid field says so where it is and blocks only the run, not the other controls.
 */
export class FormPanel {
  readonly element: HTMLFormElement;
  private datasets: Dataset[] = [];
  private readonly reading: HTMLOutputElement;

  constructor(private readonly onRun: (controls: Controls) => void) {
    this.reading = h("output", { id: "percent-reading", for: "f-percent" });
    const field = (name: Field, label: string, control: HTMLElement, extra?: Node) => {
      const help = HELP[name];
      control.id = `f-${name}`;
      control.setAttribute(
        "aria-describedby",
        [help ? `help-${name}` : "", `error-${name}`, `note-${name}`].filter(Boolean).join(" "),
      );
      return h(
        "div",
        { class: "field", "data-field": name },
        h("label", { for: `f-${name}` }, label),
        control,
        extra,
        help ? h("small", { id: `help-${name}`, class: "help" }, help) : "",
        h("small", { id: `error-${name}`, class: "field-error", hidden: true }),
        h("small", { id: `note-${name}`, class: "field-note", hidden: true }),
      );
    };
    const number = (name: Field, attrs: Record<string, string | number>) =>
      h("input", { name, type: "number", inputmode: "decimal", ...attrs });
    this.element = h(
      "form",
      { id: "controls", "aria-label": "coverage settings", novalidate: true },
      field("dataset", "dataset", h("select", { name: "dataset" })),
      field("limit", "first n", number("limit", { min: 2, step: 1 })),
      field("k", "k (neighbours)", number("k", { min: 1, step: 1 })),
      field(
        "percent",
        "fraction flagged (%)",
        number("percent", { min: 0.01, max: 100, step: "any" }),
        this.reading,
      ),
      field(
        "method",
        "method",
        h(
          "select",
          { name: "method" },
          COVERAGE_METHODS.map((m) => h("option", { value: m }, METHOD_TEXT[m])),
        ),
      ),
      field(
        "projection",
        "projection",
        h(
          "select",
          { name: "projection" },
          PROJECTION_METHODS.map((m) => h("option", { value: m }, PROJECTION_TEXT[m])),
        ),
      ),
      h("div", { class: "field actions" }, h("button", { type: "submit", id: "run" }, "Run")),
    );
    this.element.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    for (const select of this.element.querySelectorAll("select")) {
      select.addEventListener("change", () => this.submit());
    }
    this.element.addEventListener("input", () => this.update());
  }

  setDatasets(datasets: Dataset[]): void {
    this.datasets = datasets;
    this.control("dataset").replaceChildren(
      ...datasets.map((d) => h("option", { value: d.id }, `${d.name} (${d.size})`)),
    );
  }

  /** Fills the fields from a set of controls (a URL, Back). */
  write(controls: Controls): void {
    const set = (name: Field, value: string | number) => {
      (this.control(name) as HTMLInputElement).value = String(value);
    };
    const select = this.control("dataset") as HTMLSelectElement;
    if (![...select.options].some((o) => o.value === controls.datasetId)) {
      select.append(h("option", { value: controls.datasetId }, controls.datasetId));
    }
    set("dataset", controls.datasetId);
    set("limit", controls.limit);
    set("k", controls.k);
    set("percent", percentText(controls.percent));
    set("method", controls.method);
    set("projection", controls.projection);
    this.update();
  }

  /** The controls as the fields hold them now (unchecked). */
  read(): Controls {
    const value = (name: Field) => (this.control(name) as HTMLInputElement).value;
    return {
      datasetId: value("dataset"),
      limit: Number(value("limit")),
      k: Number(value("k")),
      percent: fractionOfPercent(value("percent")),
      method: oneOf(COVERAGE_METHODS, value("method")) ?? CoverageMethod.Adaptive,
      projection: oneOf(PROJECTION_METHODS, value("projection")) ?? ProjectionMethod.Tsne,
    };
  }

  /** The size of a dataset, when known. */
  sizeOf(datasetId: string): number | undefined {
    return this.datasets.find((d) => d.id === datasetId)?.size;
  }

  /** Shows `message` on `field` (null clears every field's error). */
  showError(field: Field | null, message = ""): void {
    for (const name of FIELDS) {
      const show = name === field;
      const box = this.element.querySelector<HTMLElement>(`#error-${name}`)!;
      box.hidden = !show;
      box.textContent = show ? message : "";
      this.control(name).setAttribute("aria-invalid", String(show));
    }
  }

  /** Checks the fields and, when they can run, reports the (clamped) controls to the page. */
  submit(): Controls | null {
    const controls = this.check();
    if (controls) this.onRun(controls);
    return controls;
  }

  /**
   * Checks the fields: errors and notes shown on their fields, first n clamped in place.
   * @returns the controls to run, or null when a field cannot run (it has the focus then)
   */
  check(): Controls | null {
    const raw = this.read();
    const checked = checkControls(raw, this.sizeOf(raw.datasetId));
    const first = FIELDS.find((f) => checked.errors[f]);
    this.showError(first ?? null, first ? checked.errors[first] : "");
    for (const name of FIELDS) {
      const note = this.element.querySelector<HTMLElement>(`#note-${name}`)!;
      note.hidden = !checked.notes[name];
      note.textContent = checked.notes[name] ?? "";
    }
    if (first) {
      this.control(first).focus();
      return null;
    }
    if (checked.controls.limit !== raw.limit) {
      (this.control("limit") as HTMLInputElement).value = String(checked.controls.limit);
    }
    return checked.controls;
  }

  /** Keeps the % reading and the naive state of the fraction field current as people type. */
  private update(): void {
    const c = this.read();
    const naive = c.method === CoverageMethod.Naive;
    const percent = this.control("percent") as HTMLInputElement;
    percent.disabled = naive;
    const n = Math.min(c.limit, this.sizeOf(c.datasetId) ?? c.limit);
    this.reading.textContent = naive
      ? "not used by naive coverage"
      : c.percent > 0 && c.percent <= 1 && Number.isInteger(n) && n > 0
        ? `= ${c.percent} as a fraction: ${adaptiveSelectionSize(n, c.percent)} of ${n} samples`
        : "between 0.01 and 100";
  }

  private control(name: Field): HTMLElement {
    return this.element.querySelector<HTMLElement>(`#f-${name}`)!;
  }
}
