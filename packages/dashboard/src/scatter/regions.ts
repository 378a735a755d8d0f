/**
 * Gap regions on the projection (issue 17): each region's members, found among the projected
 * points by dataset index, enclosed by a circle around their mean. Pure geometry here, drawing
 * below; the members that the projection does not hold (another selection) are left out.
 */
import type { ScatterPoints } from "./draw.js";
import { type View, toScreen } from "./view.js";

/** A region as the server lists it: its id (0 = largest deficit) and members' dataset indices. */
export interface RegionMembers {
  readonly id: number;
  readonly members: readonly number[];
}

/** A region's circle in projection coordinates. */
export interface RegionOutline {
  readonly id: number;
  /** Mean of the projected members. */
  readonly x: number;
  readonly y: number;
  /** Distance from the mean to the farthest projected member (0 for one member). */
  readonly r: number;
  /** Members found on the projection. */
  readonly count: number;
}

/**
 * The outline of every region with at least one member on the projection, in the regions' order.
 * O(points + members).
 */
export function regionOutlines(
  points: Pick<ScatterPoints, "coordinates" | "indices">,
  regions: readonly RegionMembers[],
): RegionOutline[] {
  const pointOf = new Map<number, number>();
  for (let i = 0; i < points.indices.length; i++) pointOf.set(points.indices[i]!, i);
  const c = points.coordinates;
  const out: RegionOutline[] = [];
  for (const region of regions) {
    const found: number[] = [];
    for (const m of region.members) {
      const p = pointOf.get(m);
      if (p !== undefined) found.push(p);
    }
    if (found.length === 0) continue;
    let x = 0;
    let y = 0;
    for (const p of found) {
      x += c[2 * p]!;
      y += c[2 * p + 1]!;
    }
    x /= found.length;
    y /= found.length;
    let r = 0;
    for (const p of found) r = Math.max(r, Math.hypot(c[2 * p]! - x, c[2 * p + 1]! - y));
    out.push({ id: region.id, x, y, r, count: found.length });
  }
  return out;
}

/**
 * Draws each outline as a dashed circle (at least 8 CSS pixels across the members, so that a
 * region of one point is visible too) with its id beside it, into a context scaled to CSS pixels.
 */
export function drawRegions(
  context: CanvasRenderingContext2D,
  view: View,
  outlines: readonly RegionOutline[],
  colour: string,
): void {
  context.save();
  context.strokeStyle = colour;
  context.fillStyle = colour;
  context.lineWidth = 1.5;
  context.setLineDash([4, 3]);
  context.font = "11px system-ui, sans-serif";
  for (const o of outlines) {
    const [x, y] = toScreen(view, o.x, o.y);
    const r = Math.max(8, o.r * view.scale + 6);
    context.beginPath();
    context.arc(x, y, r, 0, 2 * Math.PI);
    context.stroke();
    context.fillText(String(o.id), x + r * 0.72 + 2, y - r * 0.72 - 2);
  }
  context.restore();
}
