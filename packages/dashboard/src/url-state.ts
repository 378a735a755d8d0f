import {
  COVERAGE_METHODS,
  type Controls,
  PROJECTION_METHODS,
  SEED_CONTROLS,
  oneOf,
} from "./controls.js";

export type GridOrder = "radius" | "index";
export type ColourBy = "label" | "radius" | "flagged";
export const GRID_ORDERS: readonly GridOrder[] = ["radius", "index"];
export const COLOUR_BY: readonly ColourBy[] = ["label", "radius", "flagged"];

/** A box in projection coordinates: x0 <= x1, y0 <= y1. */
export type Box = readonly [x0: number, y0: number, x1: number, y1: number];

/** Everything a URL reproduces: the run's controls and how its results are being looked at. */
export interface ViewState {
  readonly controls: Controls;
  /** The dataset index whose detail is open, or null. */
  readonly sample: number | null;
  /** The grid's page, from 0. */
  readonly page: number;
  readonly order: GridOrder;
  readonly colour: ColourBy;
  /** The class the grid and scatter are filtered to, or null. */
  readonly cls: number | null;
  /** The scatter's box selection (projection coordinates), or null. */
  readonly box: Box | null;
}

export const DEFAULT_VIEW: ViewState = {
  controls: SEED_CONTROLS,
  sample: null,
  page: 0,
  order: "radius",
  colour: "label",
  cls: null,
  box: null,
};

function parseBox(text: string | null): Box | null {
  if (!text) return null;
  const v = text.split(",").map(Number);
  if (v.length !== 4 || !v.every(Number.isFinite)) return null;
  const [a, b, c, d] = v as [number, number, number, number];
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}

/**
 * Reads a view back from a URL's query string, so that a link reproduces it; values that cannot
 * be used fall back to the defaults (the seed tutorial's scenario, the first page, by radius).
 */
export function parseView(search: string): ViewState {
  const q = new URLSearchParams(search);
  const number = (name: string, fallback: number) => {
    const text = q.get(name);
    const v = Number(text);
    return text !== null && text.trim() !== "" && Number.isFinite(v) ? v : fallback;
  };
  const whole = (name: string): number | null => {
    const v = number(name, Number.NaN);
    return Number.isInteger(v) && v >= 0 ? v : null;
  };
  const d = SEED_CONTROLS;
  return {
    controls: {
      datasetId: q.get("dataset") || d.datasetId,
      limit: number("limit", d.limit),
      k: number("k", d.k),
      percent: number("percent", d.percent),
      method: oneOf(COVERAGE_METHODS, q.get("method")) ?? d.method,
      projection: oneOf(PROJECTION_METHODS, q.get("projection")) ?? d.projection,
    },
    sample: whole("sample"),
    // pages are 1-based in the URL, as people count them
    page: Math.max(0, (whole("page") ?? 1) - 1),
    order: oneOf(GRID_ORDERS, q.get("order")) ?? DEFAULT_VIEW.order,
    colour: oneOf(COLOUR_BY, q.get("colour")) ?? DEFAULT_VIEW.colour,
    cls: whole("class"),
    box: parseBox(q.get("box")),
  };
}

/** Short text for a coordinate: 4 significant digits are finer than a pixel of the scatter. */
function coordinate(v: number): string {
  return String(Number(v.toPrecision(4)));
}

/** The query string of a view; values at their defaults are left out to keep links short. */
export function viewToQuery(view: ViewState): string {
  const c = view.controls;
  const q = new URLSearchParams({
    dataset: c.datasetId,
    limit: String(c.limit),
    k: String(c.k),
    percent: String(c.percent),
    method: c.method,
    projection: c.projection,
  });
  if (view.page > 0) q.set("page", String(view.page + 1));
  if (view.order !== DEFAULT_VIEW.order) q.set("order", view.order);
  if (view.colour !== DEFAULT_VIEW.colour) q.set("colour", view.colour);
  if (view.cls !== null) q.set("class", String(view.cls));
  if (view.box) q.set("box", view.box.map(coordinate).join(","));
  if (view.sample !== null) q.set("sample", String(view.sample));
  return q.toString();
}
