import { type Quadtree, type QuadtreeLeaf, quadtree } from "d3-quadtree";

/**
 * Hit testing over the projection's points in projection coordinates (built once per projection,
 * so zoom and pan need no rebuild): the point nearest the pointer, the points inside a box. A
 * quadtree (d3-quadtree) answers both in about log n for 100k points.
 */
export class PointIndex {
  private readonly tree: Quadtree<number>;

  /** @param coordinates n x 2, row-major (x0, y0, x1, y1, ...); point i is row i */
  constructor(private readonly coordinates: ArrayLike<number>) {
    const n = Math.floor(coordinates.length / 2);
    const rows = Array.from({ length: n }, (_, i) => i);
    this.tree = quadtree<number>(
      rows,
      (i) => coordinates[2 * i]!,
      (i) => coordinates[2 * i + 1]!,
    );
  }

  get size(): number {
    return this.tree.size();
  }

  /** The row nearest (x, y) within `radius` (projection units), or null when none is that near. */
  nearest(x: number, y: number, radius: number): number | null {
    return this.tree.find(x, y, radius) ?? null;
  }

  /** Rows inside the box [x0, x1] x [y0, y1] (edges included), as a 0/1 mask of n rows. */
  inBox(x0: number, y0: number, x1: number, y1: number): Uint8Array {
    const n = Math.floor(this.coordinates.length / 2);
    const mask = new Uint8Array(n);
    this.tree.visit((node, nx0, ny0, nx1, ny1) => {
      if (!node.length) {
        // a leaf: its point and any coincident points chained behind it
        for (let leaf: QuadtreeLeaf<number> | undefined = node; leaf; leaf = leaf.next) {
          const row = leaf.data;
          const x = this.coordinates[2 * row]!;
          const y = this.coordinates[2 * row + 1]!;
          if (x >= x0 && x <= x1 && y >= y0 && y <= y1) mask[row] = 1;
        }
      }
      // skip quadrants entirely outside the box
      return nx0 > x1 || ny0 > y1 || nx1 < x0 || ny1 < y0;
    });
    return mask;
  }
}
