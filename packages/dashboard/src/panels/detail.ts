import type { SampleExplanation } from "@lacuna/client";
import { formatNumber, h } from "../dom.js";

export interface DetailCallbacks {
  /** Open another sample (previous, next, a neighbour). */
  readonly onOpen: (index: number) => void;
  /** The person closed the dialog (button, Escape, a click outside it). */
  readonly onClose: () => void;
  readonly explain: (index: number, signal: AbortSignal) => Promise<SampleExplanation>;
}

/** Where the open sample sits in the grid's list, for previous and next. */
export interface Place {
  /** 0-based position in the visible flagged list, -1 when it is not in it. */
  readonly position: number;
  readonly total: number;
  readonly previous: number | null;
  readonly next: number | null;
  /** Samples in the result, for "rank 3 of 2000". */
  readonly count: number;
}

/**
 * Why a sample is (or is not) flagged: the image large, its radius against the coverage radius,
 * its rank, its k nearest neighbours (each a button that opens it; those of another label marked),
 * previous and next through the flagged samples in the grid's order.
 */
export class DetailPanel {
  readonly element: HTMLDialogElement;
  private readonly body: HTMLElement;
  private readonly title: HTMLElement;
  private readonly previous: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly position: HTMLElement;
  private place: Place | null = null;
  private loading: AbortController | null = null;
  private closing = false;

  constructor(private readonly callbacks: DetailCallbacks) {
    this.title = h("h2", { id: "detail-title" }, "Sample");
    this.body = h("div", { id: "detail-body" });
    this.previous = h("button", { type: "button", id: "detail-previous" }, "‹ Previous");
    this.next = h("button", { type: "button", id: "detail-next" }, "Next ›");
    this.position = h("span", { id: "detail-position", class: "note" });
    const close = h(
      "button",
      { type: "button", id: "detail-close", "aria-label": "close the detail" },
      "Close",
    );
    this.element = h(
      "dialog",
      { id: "detail", "aria-labelledby": "detail-title", "aria-describedby": "detail-why" },
      h("div", { class: "dialog-bar" }, this.title, close),
      h(
        "nav",
        { class: "dialog-steps", "aria-label": "flagged samples" },
        this.previous,
        this.position,
        this.next,
      ),
      this.body,
    );
    this.previous.addEventListener("click", () => this.step(this.place?.previous ?? null));
    this.next.addEventListener("click", () => this.step(this.place?.next ?? null));
    close.addEventListener("click", () => this.element.close());
    // a click on the backdrop lands on the dialog element itself, outside its content box
    this.element.addEventListener("click", (event) => {
      if (event.target !== this.element) return;
      const r = this.element.getBoundingClientRect();
      const inside =
        event.clientX >= r.left &&
        event.clientX <= r.right &&
        event.clientY >= r.top &&
        event.clientY <= r.bottom;
      if (!inside) this.element.close();
    });
    this.element.addEventListener("close", () => {
      this.loading?.abort();
      if (!this.closing) this.callbacks.onClose();
      this.closing = false;
    });
  }

  get openIndex(): number | null {
    return this.element.open ? Number(this.element.dataset.index) : null;
  }

  /**
   * Shows sample `index` of result `resultId` (opening the dialog if needed); `place` drives
   * previous and next. The same sample of the same result only updates `place`.
   */
  open(index: number, resultId: string, place: Place): void {
    this.place = place;
    const key = `${resultId}:${index}`;
    const same = this.element.open && this.element.dataset.key === key;
    this.element.dataset.key = key;
    this.element.dataset.index = String(index);
    this.previous.disabled = place.previous === null;
    this.next.disabled = place.next === null;
    this.position.textContent =
      place.position >= 0
        ? `${place.position + 1} of ${place.total} flagged in view`
        : "not among the flagged samples in view";
    if (same) return;
    this.title.textContent = `Sample ${index}`;
    this.body.replaceChildren(h("p", { role: "status" }, "loading…"));
    if (!this.element.open) this.element.showModal();
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.callbacks
      .explain(index, controller.signal)
      .then((why) => {
        if (!controller.signal.aborted) this.render(index, why, place);
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        this.body.replaceChildren(
          h("p", { role: "alert" }, error instanceof Error ? error.message : String(error)),
        );
      });
  }

  /** Closes without reporting it (the URL already says it is closed: Back). */
  close(): void {
    if (!this.element.open) return;
    this.closing = true;
    this.element.close();
  }

  private step(index: number | null): void {
    if (index !== null) this.callbacks.onOpen(index);
  }

  private render(index: number, why: SampleExplanation, place: Place): void {
    const label = why.labelName ?? (why.label === null ? "none" : String(why.label));
    this.title.textContent = `Sample ${index}, label ${label}`;
    const flagged = why.exceedsCoverageRadius;
    const neighbours = (why.neighbours ?? []).map((n) => {
      const other = why.label !== null && n.label !== why.label;
      const name = n.labelName ?? (n.label === null ? "none" : String(n.label));
      const button = h(
        "button",
        {
          type: "button",
          class: other ? "neighbour other-label" : "neighbour",
          "data-index": n.index,
          "aria-label": `neighbour ${n.index}, label ${name}${other ? " (another label)" : ""}, distance ${formatNumber(n.distance, 3)}: open it`,
        },
        n.image ? h("img", { src: n.image, alt: "" }) : "",
        h(
          "span",
          {},
          other ? h("b", { title: "another label" }, `≠ ${name}`) : name,
          ` · ${formatNumber(n.distance, 3)}`,
        ),
      );
      button.addEventListener("click", () => this.callbacks.onOpen(n.index));
      return button;
    });
    const others = neighbours.filter((b) => b.classList.contains("other-label")).length;
    this.body.replaceChildren(
      h(
        "div",
        { class: "detail-top" },
        why.image
          ? h("img", { src: why.image, alt: `sample ${index}, label ${label}`, class: "large" })
          : "",
        h(
          "p",
          { class: "why", id: "detail-why" },
          `radius ${formatNumber(why.radius ?? 0, 4)} ${flagged ? ">" : "<="} coverage radius ${formatNumber(why.coverageRadius, 4)}: `,
          h("b", {}, flagged ? "flagged" : "covered"),
          ` · rank ${why.rank} of ${place.count} by radius`,
          h("br"),
          `Its radius is the distance to its k-th nearest neighbour (k = ${why.numObservations}: the last one below).`,
        ),
      ),
      h(
        "h3",
        {},
        `Its ${why.numObservations} nearest neighbours`,
        others > 0 ? `, ${others} of another label (marked ≠)` : "",
      ),
      h("div", { class: "neighbours" }, neighbours),
    );
  }
}
