/** Ten distinguishable colours (Tableau 10), one per class; more classes reuse them. */
export const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
] as const;

export function classColour(label: number | null): string {
  return label === null ? "#888" : PALETTE[label % PALETTE.length]!;
}

/**
 * Maps 2-D coordinates (n x 2, row-major) into a width x height box with a margin, keeping the
 * aspect ratio so that distances mean the same along both axes. Returns pixel positions (n x 2).
 */
export function fitToBox(
  coordinates: ArrayLike<number>,
  width: number,
  height: number,
  margin = 12,
): Float64Array {
  const n = coordinates.length / 2;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = coordinates[2 * i]!;
    const y = coordinates[2 * i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  // a zero span (one point, or all equal) scales by 1 and lands in the middle
  const scale = Math.min(
    (width - 2 * margin) / (maxX - minX || 1),
    (height - 2 * margin) / (maxY - minY || 1),
  );
  const offsetX = (width - scale * (maxX - minX)) / 2;
  const offsetY = (height - scale * (maxY - minY)) / 2;
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = offsetX + (coordinates[2 * i]! - minX) * scale;
    // screen y grows downwards
    out[2 * i + 1] = height - (offsetY + (coordinates[2 * i + 1]! - minY) * scale);
  }
  return out;
}

/**
 * Draws the projection: one dot per sample coloured by label, the uncovered ones ringed in black
 * and drawn last so that they stay visible.
 */
export function drawScatter(
  canvas: HTMLCanvasElement,
  coordinates: ArrayLike<number>,
  labels: readonly (number | null)[],
  uncovered: ReadonlySet<number>,
): Float64Array {
  const ratio = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth || 480;
  const height = canvas.clientHeight || 480;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext("2d");
  const points = fitToBox(coordinates, width, height);
  if (!context) return points;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const n = points.length / 2;
  for (let i = 0; i < n; i++) {
    if (uncovered.has(i)) continue;
    context.fillStyle = classColour(labels[i] ?? null);
    context.globalAlpha = 0.7;
    context.beginPath();
    context.arc(points[2 * i]!, points[2 * i + 1]!, 2.2, 0, 2 * Math.PI);
    context.fill();
  }
  context.globalAlpha = 1;
  for (const i of uncovered) {
    context.fillStyle = classColour(labels[i] ?? null);
    context.strokeStyle = "#000";
    context.lineWidth = 1.8;
    context.beginPath();
    context.arc(points[2 * i]!, points[2 * i + 1]!, 5, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
  return points;
}
