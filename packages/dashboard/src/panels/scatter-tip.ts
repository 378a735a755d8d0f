import { formatNumber, h } from "../dom.js";
import type { ScatterPoints } from "../scatter/draw.js";

/**
 * The hover card's text for projection point `point`: its dataset index and label, its radius
 * ("-" where the coverage result has none) and whether it is flagged.
 */
export function tipText(p: ScatterPoints, point: number): HTMLElement {
  const radius = p.radii[point]!;
  return h(
    "span",
    {},
    `index ${p.indices[point]!} · label ${p.labels[point] ?? "none"}`,
    h("br"),
    `radius ${Number.isFinite(radius) ? formatNumber(radius, 4) : "-"} · ${p.flagged[point] ? "flagged" : "covered"}`,
  );
}
