/**
 * The scatter's mapping from projection coordinates to CSS pixels: screen = data * scale + offset,
 * with y flipped (projections have y up, screens y down). Pure, so zoom and pan are tested here.
 */
export interface View {
  /** CSS pixels per projection unit (the same along both axes: distances keep their meaning). */
  readonly scale: number;
  /** Screen position of the projection's origin, CSS pixels. */
  readonly x: number;
  readonly y: number;
}

/** The extent of a set of points: [minX, minY, maxX, maxY]. */
export type Extent = readonly [number, number, number, number];

/** The bounding box of n x 2 row-major coordinates; a unit box around the origin when empty. */
export function extentOf(coordinates: ArrayLike<number>): Extent {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < coordinates.length; i += 2) {
    const x = coordinates[i]!;
    const y = coordinates[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return minX <= maxX ? [minX, minY, maxX, maxY] : [-0.5, -0.5, 0.5, 0.5];
}

/**
 * The view that fits `extent` into width x height CSS pixels with a margin, centred, keeping the
 * aspect ratio; a zero span (one point, identical points) scales by 1 and lands in the middle.
 */
export function fitView(extent: Extent, width: number, height: number, margin = 12): View {
  const [minX, minY, maxX, maxY] = extent;
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const scale = Math.max(
    1e-12,
    Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY),
  );
  return {
    scale,
    x: width / 2 - scale * ((minX + maxX) / 2),
    y: height / 2 + scale * ((minY + maxY) / 2),
  };
}

/** Screen position (CSS pixels) of a projection point. */
export function toScreen(view: View, px: number, py: number): [number, number] {
  return [view.x + px * view.scale, view.y - py * view.scale];
}

/** Projection coordinates under a screen position (CSS pixels). */
export function toData(view: View, sx: number, sy: number): [number, number] {
  return [(sx - view.x) / view.scale, (view.y - sy) / view.scale];
}

/**
 * Zooms by `factor` about the screen point (sx, sy), which stays put (the point under the wheel or
 * the pinch); the zoom stays within [minScale, maxScale].
 */
export function zoomAt(
  view: View,
  factor: number,
  sx: number,
  sy: number,
  minScale: number,
  maxScale: number,
): View {
  const scale = Math.min(maxScale, Math.max(minScale, view.scale * factor));
  const [dx, dy] = toData(view, sx, sy);
  return { scale, x: sx - dx * scale, y: sy + dy * scale };
}

/** Moves the picture by (dx, dy) CSS pixels. */
export function panBy(view: View, dx: number, dy: number): View {
  return { scale: view.scale, x: view.x + dx, y: view.y + dy };
}

/** The projection-space box between two screen points (any corners), [x0, y0, x1, y1] ordered. */
export function screenBoxToData(
  view: View,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): [number, number, number, number] {
  const [x0, y0] = toData(view, ax, ay);
  const [x1, y1] = toData(view, bx, by);
  return [Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)];
}
