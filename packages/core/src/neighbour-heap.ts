/**
 * n bounded max-heaps of capacity k in two flat buffers: for every row the k smallest
 * (squared distance, index) pairs seen so far. Ordered by distance, then index, so the kept
 * set does not depend on the order candidates arrive in. Memory: n * k * 12 bytes.
 */
export class NeighbourHeaps {
  readonly dist: Float64Array;
  readonly index: Int32Array;
  readonly size: Int32Array;

  constructor(
    readonly rows: number,
    readonly k: number,
  ) {
    this.dist = new Float64Array(rows * k);
    this.index = new Int32Array(rows * k);
    this.size = new Int32Array(rows);
  }

  /** The largest kept squared distance of `row`, or Infinity while fewer than k are kept. */
  bound(row: number): number {
    return this.size[row]! < this.k ? Infinity : this.dist[row * this.k]!;
  }

  /** Offers neighbour `j` at squared distance `dist` to `row`; keeps it if it is among the k smallest. */
  push(row: number, dist: number, j: number): void {
    const k = this.k;
    const base = row * k;
    const dists = this.dist;
    const idx = this.index;
    const size = this.size[row]!;
    if (size < k) {
      let c = size;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        const pd = dists[base + parent]!;
        if (pd > dist || (pd === dist && idx[base + parent]! > j)) break;
        dists[base + c] = pd;
        idx[base + c] = idx[base + parent]!;
        c = parent;
      }
      dists[base + c] = dist;
      idx[base + c] = j;
      this.size[row] = size + 1;
      return;
    }
    const rootDist = dists[base]!;
    if (dist > rootDist || (dist === rootDist && j > idx[base]!)) return;
    let c = 0;
    for (;;) {
      const left = 2 * c + 1;
      if (left >= k) break;
      let child = left;
      const right = left + 1;
      if (
        right < k &&
        after(dists[base + right]!, idx[base + right]!, dists[base + left]!, idx[base + left]!)
      ) {
        child = right;
      }
      const cd = dists[base + child]!;
      const ci = idx[base + child]!;
      if (!after(cd, ci, dist, j)) break;
      dists[base + c] = cd;
      idx[base + c] = ci;
      c = child;
    }
    dists[base + c] = dist;
    idx[base + c] = j;
  }

  /**
   * Sorts every row's kept neighbours ascending by (distance, index), in place. After this the
   * heap property is gone: call it once, when all candidates are in.
   */
  sortRows(): void {
    const k = this.k;
    const dists = this.dist;
    const idx = this.index;
    const order = new Int32Array(k);
    const tmpDist = new Float64Array(k);
    const tmpIdx = new Int32Array(k);
    for (let r = 0; r < this.rows; r++) {
      const base = r * k;
      const m = this.size[r]!;
      const view = order.subarray(0, m);
      for (let t = 0; t < m; t++) view[t] = t;
      view.sort((a, b) => dists[base + a]! - dists[base + b]! || idx[base + a]! - idx[base + b]!);
      for (let t = 0; t < m; t++) {
        tmpDist[t] = dists[base + view[t]!]!;
        tmpIdx[t] = idx[base + view[t]!]!;
      }
      dists.set(tmpDist.subarray(0, m), base);
      idx.set(tmpIdx.subarray(0, m), base);
    }
  }
}

/** True when (da, ia) comes after (db, ib) in (distance, index) order. */
function after(da: number, ia: number, db: number, ib: number): boolean {
  return da > db || (da === db && ia > ib);
}
