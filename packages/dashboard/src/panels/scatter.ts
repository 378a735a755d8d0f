import type { Box, ColourBy } from "../url-state.js";
import { h } from "../dom.js";
import {
  type Buckets,
  type ScatterPoints,
  colourBuckets,
  drawFocus,
  drawPoints,
} from "../scatter/draw.js";
import { PointIndex } from "../scatter/hit.js";
import type { RegionMembers } from "../scatter/regions.js";
import {
  type View,
  fitView,
  extentOf,
  panBy,
  screenBoxToData,
  toData,
  toScreen,
  zoomAt,
} from "../scatter/view.js";
import { legend, theme } from "./scatter-legend.js";
import { scatterToolbar } from "./scatter-toolbar.js";
import { tipText } from "./scatter-tip.js";
import { keyAction, stepPosition } from "../scatter/keys.js";

export interface ScatterCallbacks {
  /** A point was clicked (or Enter pressed on it): its dataset index. */
  readonly onOpen: (index: number) => void;
  /** The box selection changed (null: cleared); `mask` marks the projection points inside. */
  readonly onBox: (box: Box | null, mask: Uint8Array | null) => void;
  readonly onColour: (colour: ColourBy) => void;
  /** A thumbnail for the hover preview (a data URL), or null; aborted when the pointer moves on. */
  readonly thumbnail: (index: number, signal: AbortSignal) => Promise<string | null>;
}

/**
 * The projection as an interactive canvas: hover for a thumbnail, click to open a sample, wheel or
 * buttons to zoom, drag to pan, shift-drag (or the box tool) to select, keys for all of it; drawn
 * at the device's pixel ratio and again whenever its box changes size.
 */
export class ScatterPanel {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  /** The points as last drawn, without the focus ring. */
  private readonly base = document.createElement("canvas");
  private readonly tip: HTMLElement;
  private readonly legendBox: HTMLElement;
  private readonly note: HTMLElement;
  private readonly boxTool: HTMLButtonElement;
  private readonly colourSelect: HTMLSelectElement;
  private points: ScatterPoints | null = null;
  private index: PointIndex | null = null;
  private buckets: Buckets | null = null;
  private view: View | null = null;
  private zoomed = false;
  private colour: ColourBy = "label";
  private cls: number | null = null;
  private box: Box | null = null;
  private focus: number | null = null;
  private frame = 0;
  private regions: readonly RegionMembers[] = [];
  private drag: { x: number; y: number; moved: boolean; select: boolean; view: View } | null = null;
  private dragBox: Box | null = null;
  private hover: AbortController | null = null;
  /** Flagged points in the grid's order, for stepping with the keyboard. */
  private steps: Int32Array = new Int32Array(0);

  constructor(private readonly callbacks: ScatterCallbacks) {
    this.canvas = h("canvas", {
      id: "scatter",
      tabindex: 0,
      role: "img",
      "aria-roledescription": "interactive scatter plot",
      "aria-describedby": "scatter-keys",
    });
    this.tip = h("div", { class: "tip", role: "tooltip", id: "scatter-tip", hidden: true });
    const toolbar = scatterToolbar({
      colour: (c) => {
        this.setColour(c);
        this.callbacks.onColour(c);
      },
      zoom: (factor) => this.zoomBy(factor),
      reset: () => this.reset(),
      clear: () => this.setBox(null, true),
    });
    this.colourSelect = toolbar.colourSelect;
    this.boxTool = toolbar.boxTool;
    this.legendBox = h("div", { class: "legend" });
    this.note = h("p", { class: "note", id: "projection-note" });
    this.element = h(
      "section",
      { id: "projection-panel", class: "panel", "aria-labelledby": "projection-title" },
      h("h2", { id: "projection-title" }, "Projection"),
      toolbar.element,
      this.note,
      h("div", { class: "plot" }, this.canvas, this.tip),
      this.legendBox,
      h(
        "p",
        { class: "note keys", id: "scatter-keys" },
        "Keys: arrows pan, + and − zoom, 0 resets, n and p step through the flagged samples, Enter opens one, Escape clears the selection.",
      ),
    );
    this.listen();
    new ResizeObserver(() => this.requestDraw()).observe(this.canvas);
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.requestDraw());
  }

  /** Shows a state instead of (or over) the picture: progress, an error, nothing yet. */
  setNote(text: string, alert = false): void {
    this.note.textContent = text;
    this.note.setAttribute("role", alert ? "alert" : "status");
    if (!alert && this.element.dataset.state === "error") this.element.dataset.state = "waiting";
  }

  /**
   * A projection that failed: its reason in place of the picture, and the points of an earlier
   * run taken away (they would pass for this run's).
   */
  showError(text: string): void {
    this.points = this.index = this.buckets = this.view = null;
    const context = this.canvas.getContext("2d");
    context?.setTransform(1, 0, 0, 1, 0, 0);
    context?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    for (const key of ["points", "flagged", "ringed", "scale", "offset"])
      this.canvas.removeAttribute(`data-${key}`);
    this.canvas.setAttribute("aria-label", text);
    this.legendBox.replaceChildren();
    this.element.dataset.state = "error";
    this.setNote(text, true);
  }

  /** New points (a new projection or a new coverage result); the view refits. */
  setPoints(points: ScatterPoints, description: string): void {
    this.points = points;
    this.index = new PointIndex(points.coordinates);
    this.buckets = colourBuckets(points, this.colour);
    this.view = null;
    this.zoomed = false;
    this.focus = null;
    this.canvas.setAttribute("aria-label", description);
    this.canvas.dataset.points = String(points.flagged.length);
    this.element.dataset.state = "ready";
    this.requestDraw();
  }

  setColour(colour: ColourBy): void {
    this.colourSelect.value = colour;
    if (colour === this.colour) return;
    this.colour = colour;
    if (this.points) this.buckets = colourBuckets(this.points, colour);
    this.requestDraw();
  }

  setClass(cls: number | null): void {
    if (cls === this.cls) return;
    this.cls = cls;
    this.requestDraw();
  }

  /** Gap regions to outline on the projection (members by dataset index); [] for none. */
  setRegions(regions: readonly RegionMembers[]): void {
    this.regions = regions;
    this.requestDraw();
  }

  /** Sets the box selection; `notify` reports it (with its mask) to the page. */
  setBox(box: Box | null, notify = false): void {
    if (notify || JSON.stringify(box) !== JSON.stringify(this.box)) {
      this.box = box;
      this.requestDraw();
    }
    if (notify) this.callbacks.onBox(box, this.maskOf(box));
  }

  /** Draws once in the next frame, however many changes ask for it before then. */
  private requestDraw(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** The projection points inside a box (null for no box, or before there are points). */
  maskOf(box: Box | null): Uint8Array | null {
    return box && this.index ? this.index.inBox(...box) : null;
  }

  /** The order n and p step in (projection points), the grid's visible flagged samples. */
  setSteps(points: Int32Array): void {
    this.steps = points;
  }

  /**
   * Redraws at the canvas's current CSS size and the device's pixel ratio: the points into an
   * offscreen copy, then onto the page with the focus ring, so that moving the focus (hovering)
   * only copies the picture instead of drawing every point again.
   */
  draw(): void {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (!this.points || !this.buckets || width === 0 || height === 0) return;
    const ratio = globalThis.devicePixelRatio || 1;
    this.canvas.width = this.base.width = Math.round(width * ratio);
    this.canvas.height = this.base.height = Math.round(height * ratio);
    if (!this.view || !this.zoomed)
      this.view = fitView(extentOf(this.points.coordinates), width, height);
    const context = this.base.getContext("2d");
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const drawn = drawPoints(context, width, height, this.points, this.buckets, this.view, {
      colour: this.colour,
      cls: this.cls,
      box: this.dragBox ?? this.box,
      theme: theme(this.canvas),
      regions: this.regions,
    });
    // flagged points in the data, and the rings really drawn (fewer when zoomed in or filtered)
    this.canvas.dataset.flagged = String(this.points.flagged.reduce((a, f) => a + f, 0));
    this.canvas.dataset.ringed = String(drawn.ringed);
    this.canvas.dataset.regions = String(drawn.regions);
    this.canvas.dataset.scale = String(this.view.scale);
    this.canvas.dataset.offset = `${this.view.x.toFixed(1)},${this.view.y.toFixed(1)}`;
    this.legendBox.replaceChildren(...legend(this.points, this.colour));
    this.drawFocus();
  }

  /** Copies the drawn points onto the page and rings the focused point. */
  private drawFocus(): void {
    const context = this.canvas.getContext("2d");
    if (!context || !this.view || !this.points) return;
    const ratio = this.canvas.width / (this.canvas.clientWidth || 1);
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.drawImage(this.base, 0, 0);
    if (this.focus === null) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const p = this.points.coordinates;
    const [x, y] = toScreen(this.view, p[2 * this.focus]!, p[2 * this.focus + 1]!);
    drawFocus(context, x, y, theme(this.canvas).text);
  }

  private reset(): void {
    this.zoomed = false;
    this.view = null;
    this.requestDraw();
  }

  private zoomBy(
    factor: number,
    sx = this.canvas.clientWidth / 2,
    sy = this.canvas.clientHeight / 2,
  ): void {
    if (!this.view || !this.points) return;
    const fit = fitView(
      extentOf(this.points.coordinates),
      this.canvas.clientWidth,
      this.canvas.clientHeight,
    );
    this.view = zoomAt(this.view, factor, sx, sy, fit.scale / 2, fit.scale * 200);
    this.zoomed = true;
    this.requestDraw();
  }

  private panBy(dx: number, dy: number): void {
    if (!this.view) return;
    this.view = panBy(this.view, dx, dy);
    this.zoomed = true;
    this.requestDraw();
  }

  /** The point within 8 CSS pixels of a screen position, or null. */
  private pointAt(sx: number, sy: number): number | null {
    if (!this.view || !this.index) return null;
    const [x, y] = toData(this.view, sx, sy);
    return this.index.nearest(x, y, 8 / this.view.scale);
  }

  private showTip(point: number | null): void {
    this.hover?.abort();
    this.focus = point;
    this.drawFocus();
    if (point === null || !this.points || !this.view) {
      this.tip.hidden = true;
      this.canvas.removeAttribute("aria-activedescendant");
      return;
    }
    const p = this.points;
    const index = p.indices[point]!;
    const [sx, sy] = toScreen(this.view, p.coordinates[2 * point]!, p.coordinates[2 * point + 1]!);
    const text = tipText(p, point);
    const image = h("img", { alt: "", width: 56, height: 56 });
    this.tip.replaceChildren(image, text);
    this.tip.hidden = false;
    this.tip.dataset.index = String(index);
    // where the point is, in CSS pixels of the canvas (what a test or a script points at)
    this.tip.dataset.x = sx.toFixed(1);
    this.tip.dataset.y = sy.toFixed(1);
    const left = Math.min(sx + 12, this.canvas.clientWidth - 150);
    this.tip.style.left = `${Math.max(0, left)}px`;
    this.tip.style.top = `${Math.max(0, sy - 70)}px`;
    const controller = new AbortController();
    this.hover = controller;
    // a short pause first: sweeping across the plot does not fetch every point passed over
    setTimeout(() => {
      if (controller.signal.aborted) return;
      this.callbacks
        .thumbnail(index, controller.signal)
        .then((url) => {
          if (url && !controller.signal.aborted) image.src = url;
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted) text.append(h("br"), `no preview: ${String(error)}`);
        });
    }, 60);
  }

  private listen(): void {
    const c = this.canvas;
    const local = (e: PointerEvent | WheelEvent) => {
      const r = c.getBoundingClientRect();
      // relative to the drawing area, inside the border
      return [e.clientX - r.left - c.clientLeft, e.clientY - r.top - c.clientTop] as const;
    };
    c.addEventListener("pointerdown", (e) => {
      if (!this.view) return;
      const [x, y] = local(e);
      const select = e.shiftKey || this.boxTool.getAttribute("aria-pressed") === "true";
      this.drag = { x, y, moved: false, select, view: this.view };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener("pointermove", (e) => {
      const [x, y] = local(e);
      const d = this.drag;
      if (!d) {
        const hit = this.pointAt(x, y);
        if (hit !== this.focus) this.showTip(hit);
        return;
      }
      if (Math.hypot(x - d.x, y - d.y) > 4) d.moved = true;
      if (!d.moved) return;
      if (d.select) {
        this.dragBox = screenBoxToData(d.view, d.x, d.y, x, y);
        this.requestDraw();
      } else {
        this.view = panBy(d.view, x - d.x, y - d.y);
        this.zoomed = true;
        this.tip.hidden = true;
        this.requestDraw();
      }
    });
    c.addEventListener("pointerup", (e) => {
      const d = this.drag;
      this.drag = null;
      if (!d) return;
      const [x, y] = local(e);
      if (d.moved && d.select && this.dragBox) {
        const box = this.dragBox;
        this.dragBox = null;
        this.setBox(box, true);
      } else if (!d.moved) {
        const hit = this.pointAt(x, y);
        if (hit !== null && this.points) this.callbacks.onOpen(this.points.indices[hit]!);
      }
    });
    c.addEventListener("pointerleave", () => {
      if (!this.drag) this.showTip(null);
    });
    c.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const [x, y] = local(e);
        this.zoomBy(Math.exp(-e.deltaY * 0.002), x, y);
      },
      { passive: false },
    );
    c.addEventListener("keydown", (e) => this.key(e));
  }

  private key(e: KeyboardEvent): void {
    const action = keyAction(e.key);
    if (!action) return;
    e.preventDefault();
    if (action.kind === "pan") this.panBy(action.dx, action.dy);
    else if (action.kind === "zoom") this.zoomBy(action.factor);
    else if (action.kind === "reset") this.reset();
    else if (action.kind === "clear") this.setBox(null, true);
    else if (action.kind === "open") {
      if (this.focus !== null && this.points)
        this.callbacks.onOpen(this.points.indices[this.focus]!);
    } else if (this.steps.length > 0) {
      const at = this.focus === null ? -1 : this.steps.indexOf(this.focus);
      this.showTip(this.steps[stepPosition(at, action.direction, this.steps.length)]!);
    }
  }
}
