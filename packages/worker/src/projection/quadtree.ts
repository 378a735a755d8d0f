/** Below this depth every group of distinct doubles has separated; deeper cells are leaves. */
const MAX_DEPTH = 64;
/**
 * Points per leaf. Summing a leaf's points pair by pair costs far less per point than a tree step
 * (a pair 4 ns, a visited node 12-20 ns, measured in V8 12), so buckets pay: on a converged
 * n = 2000 layout, theta 0.5 repulsion took 8 ms per iteration with 1-point leaves, 4.2 ms with
 * 8 and 3.2 ms with 16 (5.6 ms with 32); the build, 1.4 ms with 1-point leaves, 0.4 ms with 8.
 */
const LEAF_SIZE = 16;
/** Per-node summary for the traversal, interleaved for locality: mass x, mass y, side^2, count. */
const STRIDE = 4;

/**
 * A point-region quadtree over n points in the plane (row-major x, y pairs), for Barnes-Hut
 * summation of t-SNE's repulsive forces. Leaves hold one point, or several when they coincide;
 * only non-empty cells are stored, each parent's children consecutive. Every node keeps its
 * points' count and centre of mass. All buffers are typed arrays owned by the tree and reused by
 * each build; they grow (doubling) when a layout needs more nodes.
 */
export class QuadTree {
  /** The points in tree order: order[start[node] .. start[node] + count) are the node's points. */
  readonly order: Int32Array;
  private readonly n: number;
  private readonly scratch: Int32Array;
  /** Traversal stack of repulsion(): each opened cell replaces itself with up to 4 children. */
  private readonly stack: Int32Array;
  /** (node, depth) pairs waiting to be split. */
  private readonly pending: Int32Array;
  private readonly sizes = new Int32Array(4);
  private readonly offsets = new Int32Array(4);
  private capacity = 0;
  private nodes = 0;
  private summary = new Float64Array(0);
  /** Cell geometry: centre x, centre y, half side, per node. */
  private geometry = new Float64Array(0);
  private start = new Int32Array(0);
  private firstChild = new Int32Array(0);
  /** 0 for a leaf. */
  private children = new Int32Array(0);

  constructor(n: number) {
    this.n = n;
    this.order = new Int32Array(n);
    this.scratch = new Int32Array(n);
    // depth-first: at most 3 waiting siblings per level, plus the 4 just pushed
    this.stack = new Int32Array(3 * (MAX_DEPTH + 1) + 4);
    this.pending = new Int32Array(2 * (3 * (MAX_DEPTH + 1) + 4));
    this.grow(2 * n + 8);
  }

  /** Rebuilds the tree over `y` (n x 2, row-major). O(n log n) for spread-out points. */
  build(y: Float64Array): void {
    const n = this.n;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const x0 = y[2 * i]!;
      const y0 = y[2 * i + 1]!;
      if (x0 < minX) minX = x0;
      if (x0 > maxX) maxX = x0;
      if (y0 < minY) minY = y0;
      if (y0 > maxY) maxY = y0;
      this.order[i] = i;
    }
    // a little wider than the points, so that none sits on the far edge
    const side = Math.max(maxX - minX, maxY - minY);
    const half = (side > 0 ? side : 1) * (0.5 + 1e-6);
    this.nodes = 0;
    const root = this.addNode((minX + maxX) / 2, (minY + maxY) / 2, half, 0, n, y);
    this.split(root, y);
  }

  /**
   * Point i's repulsion: adds sum_j w_ij^2 (y_i - y_j) into force[2i], force[2i + 1] and returns
   * sum_j w_ij, j != i, with w_ij = 1 / (1 + |y_i - y_j|^2). A cell is summarised by its centre of
   * mass when side / distance < theta (the cell's side, as scikit-learn and openTSNE measure it;
   * van der Maaten's bhtsne uses half the side, his paper the diagonal), else opened; a cell that
   * holds y_i is always opened, so y_i never repels itself. theta = 0 opens every cell: exact.
   */
  repulsion(y: Float64Array, i: number, theta: number, force: Float64Array): number {
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    const theta2 = theta * theta;
    // locals: V8 keeps them in registers, where field loads would repeat in the loop
    const { summary, geometry, stack, order, start, firstChild, children } = this;
    let top = 0;
    stack[top++] = 0;
    let sum = 0;
    let fx = 0;
    let fy = 0;
    while (top > 0) {
      const node = stack[--top]!;
      const s = node * STRIDE;
      const dx = xi - summary[s]!;
      const dy = yi - summary[s + 1]!;
      const dist2 = dx * dx + dy * dy;
      const g = 3 * node;
      const h = geometry[g + 2]!;
      if (
        summary[s + 2]! < theta2 * dist2 &&
        (Math.abs(xi - geometry[g]!) > h || Math.abs(yi - geometry[g + 1]!) > h)
      ) {
        const w = 1 / (1 + dist2);
        const cw = summary[s + 3]! * w;
        sum += cw;
        fx += cw * w * dx;
        fy += cw * w * dy;
        continue;
      }
      const count = children[node]!;
      if (count > 0) {
        const first = firstChild[node]!;
        for (let c = 0; c < count; c++) stack[top++] = first + c;
        continue;
      }
      const end = start[node]! + summary[s + 3]!;
      for (let p = start[node]!; p < end; p++) {
        const j = order[p]!;
        if (j === i) continue;
        const ex = xi - y[2 * j]!;
        const ey = yi - y[2 * j + 1]!;
        const w = 1 / (1 + ex * ex + ey * ey);
        sum += w;
        fx += w * w * ex;
        fy += w * w * ey;
      }
    }
    force[2 * i] = force[2 * i]! + fx;
    force[2 * i + 1] = force[2 * i + 1]! + fy;
    return sum;
  }

  /** Splits nodes depth-first from `root` until each leaf holds one point or coincident points. */
  private split(root: number, y: Float64Array): void {
    const pending = this.pending;
    const sizes = this.sizes;
    const offsets = this.offsets;
    let top = 0;
    pending[top++] = root;
    pending[top++] = 0;
    while (top > 0) {
      const depth = pending[--top]!;
      const node = pending[--top]!;
      const count = this.summary[node * STRIDE + 3]!;
      if (count <= LEAF_SIZE || depth >= MAX_DEPTH || this.coincident(node, count, y)) continue;
      const a = this.start[node]!;
      const cx = this.geometry[3 * node]!;
      const cy = this.geometry[3 * node + 1]!;
      // stable partition into quadrants q = (x >= cx) + 2 (y >= cy)
      sizes.fill(0);
      for (let p = a; p < a + count; p++) {
        const j = this.order[p]!;
        sizes[(y[2 * j]! >= cx ? 1 : 0) + (y[2 * j + 1]! >= cy ? 2 : 0)]!++;
      }
      offsets[0] = a;
      for (let q = 1; q < 4; q++) offsets[q] = offsets[q - 1]! + sizes[q - 1]!;
      for (let p = a; p < a + count; p++) {
        const j = this.order[p]!;
        this.scratch[offsets[(y[2 * j]! >= cx ? 1 : 0) + (y[2 * j + 1]! >= cy ? 2 : 0)]!++] = j;
      }
      this.order.set(this.scratch.subarray(a, a + count), a);
      const h = this.geometry[3 * node + 2]! / 2;
      const first = this.nodes;
      let at = a;
      for (let q = 0; q < 4; q++) {
        const size = sizes[q]!;
        if (size === 0) continue;
        const child = this.addNode(cx + (q & 1 ? h : -h), cy + (q & 2 ? h : -h), h, at, size, y);
        at += size;
        if (size > LEAF_SIZE) {
          pending[top++] = child;
          pending[top++] = depth + 1;
        }
      }
      this.firstChild[node] = first;
      this.children[node] = this.nodes - first;
    }
  }

  /** True when every point of the node sits at the same place (no split can separate them). */
  private coincident(node: number, count: number, y: Float64Array): boolean {
    const a = this.start[node]!;
    const j0 = this.order[a]!;
    const x0 = y[2 * j0]!;
    const y0 = y[2 * j0 + 1]!;
    for (let p = a + 1; p < a + count; p++) {
      const j = this.order[p]!;
      if (y[2 * j] !== x0 || y[2 * j + 1] !== y0) return false;
    }
    return true;
  }

  /** Appends a leaf over order[start .. start + count), count >= 1, with its centre of mass. */
  private addNode(
    centreX: number,
    centreY: number,
    half: number,
    start: number,
    count: number,
    y: Float64Array,
  ): number {
    if (this.nodes === this.capacity) this.grow(2 * this.capacity);
    const node = this.nodes++;
    let sx = 0;
    let sy = 0;
    for (let p = start; p < start + count; p++) {
      const j = this.order[p]!;
      sx += y[2 * j]!;
      sy += y[2 * j + 1]!;
    }
    const s = node * STRIDE;
    this.summary[s] = sx / count;
    this.summary[s + 1] = sy / count;
    this.summary[s + 2] = 4 * half * half;
    this.summary[s + 3] = count;
    this.geometry[3 * node] = centreX;
    this.geometry[3 * node + 1] = centreY;
    this.geometry[3 * node + 2] = half;
    this.start[node] = start;
    this.children[node] = 0;
    return node;
  }

  private grow(capacity: number): void {
    const summary = new Float64Array(capacity * STRIDE);
    summary.set(this.summary);
    const geometry = new Float64Array(capacity * 3);
    geometry.set(this.geometry);
    const start = new Int32Array(capacity);
    start.set(this.start);
    const firstChild = new Int32Array(capacity);
    firstChild.set(this.firstChild);
    const children = new Int32Array(capacity);
    children.set(this.children);
    this.summary = summary;
    this.geometry = geometry;
    this.start = start;
    this.firstChild = firstChild;
    this.children = children;
    this.capacity = capacity;
  }
}
