import {
  COVERED_COLOUR,
  FLAGGED_COLOUR,
  UNLABELLED_COLOUR,
  classColour,
  rampColour,
} from "@lacuna/core/palette";
import { formatNumber, h } from "../dom.js";
import { type ScatterPoints, radiusRange } from "../scatter/draw.js";
import type { ColourBy } from "../url-state.js";

function chip(colour: string, text: string): HTMLElement {
  return h("span", {}, h("i", { style: `background:${colour}` }), ` ${text}`);
}

/** The legend of the scatter for a colouring: classes, the radius scale, or flagged/covered. */
export function legend(points: ScatterPoints, colour: ColourBy): Node[] {
  const ring = h("span", {}, h("i", { class: "ring" }), " flagged (ringed)");
  if (colour === "flagged") {
    return [chip(FLAGGED_COLOUR, "flagged"), chip(COVERED_COLOUR, "covered")];
  }
  if (colour === "radius") {
    const [lo, hi] = radiusRange(points.radii);
    const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `${rampColour(t)} ${t * 100}%`);
    return [
      h(
        "span",
        { class: "ramp-scale" },
        `radius ${formatNumber(lo, 3)} `,
        h("i", { class: "ramp", style: `background:linear-gradient(90deg,${stops.join(",")})` }),
        ` ${formatNumber(hi, 3)}`,
      ),
      ring,
    ];
  }
  const classes = new Set<number>();
  let unlabelled = false;
  for (const label of points.labels) {
    if (label === null) unlabelled = true;
    else classes.add(label);
  }
  return [
    ...[...classes].sort((a, b) => a - b).map((c) => chip(classColour(c), String(c))),
    ...(unlabelled ? [chip(UNLABELLED_COLOUR, "no label")] : []),
    ring,
  ];
}

/** How each colouring is named in the toolbar. */
export const COLOUR_TEXT: Record<ColourBy, string> = {
  label: "label",
  radius: "radius",
  flagged: "flagged / covered",
};

/** CSS custom properties of the page, read at draw time so that dark mode redraws right. */
export function theme(element: Element) {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return { background: v("--plot", "#fff"), ring: v("--ring", "#000"), text: v("--fg", "#111") };
}
