import { type CoverageSample, CoverageMethod } from "@lacuna/client";
import { formatNumber, h } from "../dom.js";
import { type PageWindow, pageWindow } from "../flagged.js";
import { GRID_ORDERS, type GridOrder } from "../url-state.js";

/** Tiles a page; 40 fill 5 to 8 columns evenly and load in one request. */
export const PAGE_SIZE = 40;

export interface GridCallbacks {
  readonly onOpen: (index: number) => void;
  readonly onPage: (page: number) => void;
  readonly onOrder: (order: GridOrder) => void;
  /** The page's samples with their images, in the order asked. */
  readonly load: (indices: number[], signal: AbortSignal) => Promise<CoverageSample[]>;
}

/** What one page of the grid shows. */
export interface GridPage {
  /** The visible flagged rows in order (all pages). */
  readonly rows: Int32Array;
  readonly indices: Int32Array;
  readonly radii: Float64Array;
  readonly labels: readonly (number | null)[];
  readonly rank: Int32Array;
  readonly method: CoverageMethod;
  readonly order: GridOrder;
  readonly page: number;
  /** Why the list is shorter than all flagged samples ("class 7, in the selection"), or "". */
  readonly filter: string;
  readonly flaggedTotal: number;
  /** The result the rows are of (tiles of another result are redrawn even at the same rows). */
  readonly resultId: string;
}

const ORDER_TEXT: Record<GridOrder, string> = {
  radius: "largest radius first",
  index: "dataset index",
};

/**
 * Every flagged sample, a page at a time ("showing 41-80 of 250"), in the order chosen: by radius
 * (the rank of each tile is its rank among all radii), or by dataset index, which is the order
 * naive coverage itself lists them in. Images load per page; a newer page aborts the older load.
 */
export class GridPanel {
  readonly element: HTMLElement;
  private readonly tiles: HTMLElement;
  private readonly range: HTMLElement;
  private readonly explain: HTMLElement;
  private readonly order: HTMLSelectElement;
  private readonly previous: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private loading: AbortController | null = null;
  private window: PageWindow = pageWindow(0, 0, PAGE_SIZE);
  /** What the tiles on the page show, so that an unchanged page is not rebuilt. */
  private key = "";

  constructor(private readonly callbacks: GridCallbacks) {
    this.order = h(
      "select",
      { id: "grid-order", "aria-label": "order of the flagged samples" },
      GRID_ORDERS.map((o) => h("option", { value: o }, ORDER_TEXT[o])),
    );
    this.order.addEventListener("change", () =>
      callbacks.onOrder(GRID_ORDERS.find((o) => o === this.order.value) ?? "radius"),
    );
    this.previous = h("button", { type: "button", "aria-label": "previous page" }, "‹ Previous");
    this.next = h("button", { type: "button", "aria-label": "next page" }, "Next ›");
    this.previous.addEventListener("click", () => callbacks.onPage(this.window.page - 1));
    this.next.addEventListener("click", () => callbacks.onPage(this.window.page + 1));
    this.range = h("span", { id: "grid-range", role: "status" });
    this.explain = h("p", { class: "note", id: "grid-note" });
    this.tiles = h("div", { id: "grid", class: "grid", "aria-labelledby": "grid-title" });
    this.element = h(
      "section",
      { id: "grid-panel", class: "panel", "aria-labelledby": "grid-title" },
      h("h2", { id: "grid-title" }, "Flagged samples"),
      h(
        "div",
        { class: "toolbar" },
        h("label", {}, "order ", this.order),
        this.range,
        h("span", { class: "pager" }, this.previous, this.next),
      ),
      this.explain,
      this.tiles,
    );
  }

  /** Shows one page of `view.rows`; returns the page really shown (clamped to the last). */
  show(view: GridPage): number {
    this.window = pageWindow(view.rows.length, view.page, PAGE_SIZE);
    const w = this.window;
    this.order.value = view.order;
    this.range.textContent = w.text;
    this.previous.disabled = w.page === 0;
    this.next.disabled = w.page >= w.pages - 1;
    const naive = view.method === CoverageMethod.Naive;
    this.explain.textContent = [
      view.order === "radius"
        ? "Largest radius first: the samples with the fewest similar ones lead."
        : naive
          ? "By dataset index: the order naive coverage lists its flagged samples in (every radius above the coverage radius; none ranks first)."
          : "By dataset index; each tile's rank is its place by radius.",
      view.filter
        ? ` Only ${view.filter} (${view.rows.length} of ${view.flaggedTotal} flagged).`
        : "",
    ].join("");
    const rows = Array.from(view.rows.subarray(w.start, w.end));
    // the same tiles (another panel changed): keep them and their images
    const key = `${view.resultId}|${view.order}|${rows.join(",")}`;
    if (key === this.key && rows.length > 0) return w.page;
    this.key = key;
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    const tiles = rows.map((row) => this.tile(view, row));
    this.tiles.replaceChildren(...tiles.map((t) => t.button));
    if (rows.length === 0) {
      this.tiles.append(
        h(
          "p",
          { class: "note" },
          view.flaggedTotal === 0 ? "Nothing is flagged." : "No flagged sample passes the filter.",
        ),
      );
      return w.page;
    }
    this.callbacks
      .load(
        rows.map((row) => view.indices[row]!),
        controller.signal,
      )
      .then((samples) => {
        if (controller.signal.aborted) return;
        samples.forEach((sample, i) => tiles[i]?.fill(sample));
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        this.explain.append(
          h(
            "span",
            { role: "alert" },
            ` Images failed to load: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      });
    return w.page;
  }

  private tile(view: GridPage, row: number) {
    const index = view.indices[row]!;
    const label = view.labels[row];
    const labelText = label === null || label === undefined ? "?" : String(label);
    const radius = formatNumber(view.radii[row]!, 3);
    const place =
      view.order === "radius" ? `rank ${view.rank[row]}` : `#${index} · rank ${view.rank[row]}`;
    const picture = h("span", { class: "no-image", "aria-hidden": "true" });
    const button = h(
      "button",
      {
        type: "button",
        class: "tile",
        "data-index": index,
        "aria-label": `sample ${index}, label ${labelText}, radius ${radius}, rank ${view.rank[row]}: open its detail`,
      },
      picture,
      h(
        "span",
        { class: "caption" },
        h("b", {}, labelText),
        ` r=${radius}`,
        h("small", {}, ` ${place}`),
      ),
    );
    button.addEventListener("click", () => this.callbacks.onOpen(index));
    const fill = (sample: CoverageSample) => {
      if (!sample.image) return;
      picture.replaceWith(h("img", { src: sample.image, alt: "", width: 84, height: 84 }));
    };
    return { button, fill };
  }
}
