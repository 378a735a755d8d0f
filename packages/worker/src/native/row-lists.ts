/**
 * Every row's smallest approximate squared distances, filled from the upper triangle of the
 * distance matrix: the symmetric native kernel computes, block by block of rows [a, b), only the
 * columns j >= a, and each value serves both its row and its column. The value
 * |x_i|^2 + fl32(|x_j|^2 - 2 x_i . x_j) approximates the squared distance of i to j, and so of j to
 * i: shiftedGemmSquaredError(d, |x_j|, max norm) bounds its error as well as
 * shiftedGemmSquaredError(d, |x_i|, max norm) does, since the bound's terms take the larger norm
 * for the other row. Half the multiply-adds of the full matrix.
 *
 * Blocks are scanned in row order, so when block [a, b) is done every row of it has seen every
 * column: the columns j >= a in its own block's rows, the columns j < a when the earlier blocks'
 * rows were scanned (their columns reached this block's rows).
 *
 * Each row keeps a list of up to 2K values with a threshold, not a heap: a value under the
 * threshold is appended (one write, where a heap's sift touched a cache line per level: the
 * heaps took 3 s of pushes on MNIST pixels), and a full list is cut to its K smallest, whose
 * largest becomes the threshold. Every value not kept is at least the final threshold.
 * (onnxruntime's TopK along the block's columns, the other way, cost as much as the Gemm.)
 */
import { readFileSync } from "node:fs";
import { kthSmallest } from "../rerank.js";

/** Columns scanned together across a block's rows (RowLists.scan). */
const SCAN_TILE = 1024;

/** select-kernel.wasm's export (assembly/select-kernel.ts). */
type FilterRow = (
  values: number,
  count: number,
  ni: number,
  mine: number,
  thresholds: number,
  rowHits: number,
  columnHits: number,
) => number;

let selectModule: WebAssembly.Module | null | undefined;

/**
 * The compiled select kernel, or null where this runtime cannot run it (no wasm SIMD, the file
 * missing): the JavaScript loop then, which notes the same columns.
 */
function selectKernel(): WebAssembly.Module | null {
  if (selectModule === undefined) {
    try {
      // ../dist from both src (tests) and dist: the build puts the kernel there
      const bytes = readFileSync(new URL("../../dist/select-kernel.wasm", import.meta.url));
      selectModule = new WebAssembly.Module(bytes);
    } catch {
      selectModule = null;
    }
  }
  return selectModule;
}

/**
 * The kernel and its memory: the thresholds, one row's tile of values (copied in: onnxruntime
 * returns its output in a buffer of its own, and a Gemm written into this memory as a
 * pre-allocated output was copied out again), the two hit lists.
 */
interface SelectKernel {
  readonly filterRow: FilterRow;
  /** Byte offsets in its memory. */
  readonly valuesAt: number;
  readonly rowHitsAt: number;
  readonly columnHitsAt: number;
  readonly values: Float32Array;
}

export class RowLists {
  /** n x 2K: row i's kept values at i 2K, their columns beside. */
  private readonly values: Float64Array;
  private readonly columns: Int32Array;
  private readonly count: Int32Array;
  /** What a value must be under to be kept by row i (+Infinity until its list is first cut). */
  private readonly threshold: Float64Array;
  private readonly capacity: number;
  /** Scratch for cuts: a copy of the list, and the values quickselect reorders. */
  private readonly scratchValues: Float64Array;
  private readonly scratchColumns: Int32Array;
  private readonly select: Float64Array;
  /** The columns of one row of a tile under a threshold (scan's inner loop). */
  private readonly rowHits: Int32Array;
  private readonly columnHits: Int32Array;
  /** The WebAssembly SIMD scan, whose memory holds `threshold` (null: the JavaScript loop). */
  private readonly kernel: SelectKernel | null;
  /** The first row not yet scanned: blocks must come in row order. */
  next = 0;

  /**
   * @param n rows
   * @param keep values every row keeps at least (K), at most n - 1
   * @param tile columns scanned together across a block's rows (at most 32 768)
   * @param simd scan with the WebAssembly SIMD kernel where it loads (false: the JavaScript loop;
   *   both note the same columns, so the lists are the same)
   */
  constructor(
    readonly n: number,
    readonly keep: number,
    private readonly tile = SCAN_TILE,
    simd = true,
  ) {
    this.capacity = 2 * keep;
    this.values = new Float64Array(n * this.capacity);
    this.columns = new Int32Array(n * this.capacity);
    this.count = new Int32Array(n);
    this.scratchValues = new Float64Array(this.capacity);
    this.scratchColumns = new Int32Array(this.capacity);
    this.select = new Float64Array(this.capacity);
    const wasm = simd ? selectKernel() : null;
    if (wasm === null) {
      this.kernel = null;
      this.threshold = new Float64Array(n);
      this.rowHits = new Int32Array(tile);
      this.columnHits = new Int32Array(tile);
    } else {
      // thresholds at 0 (8 n bytes), then the tile's values and the two hit lists (4 tile each)
      const valuesAt = align16(8 * n);
      const rowHitsAt = align16(valuesAt + 4 * tile);
      const columnHitsAt = rowHitsAt + 4 * tile;
      const memory = new WebAssembly.Memory({
        initial: Math.ceil((columnHitsAt + 4 * tile) / 65536),
      });
      const { exports } = new WebAssembly.Instance(wasm, { env: { memory, abort: () => {} } });
      const buffer = memory.buffer;
      this.kernel = {
        filterRow: exports.filterRow as FilterRow,
        valuesAt,
        rowHitsAt,
        columnHitsAt,
        values: new Float32Array(buffer, valuesAt, tile),
      };
      this.threshold = new Float64Array(buffer, 0, n);
      this.rowHits = new Int32Array(buffer, rowHitsAt, tile);
      this.columnHits = new Int32Array(buffer, columnHitsAt, tile);
    }
    this.threshold.fill(Infinity);
  }

  /** Bytes the lists take for n rows keeping K (the kernel keeps them only under a cap). */
  static bytes(n: number, keep: number): number {
    return n * (24 * keep + 12);
  }

  /**
   * Takes the block of rows [a, a + m) against columns [a, n) (w = n - a): `shifted[r w + c]` is
   * |x_j|^2 - 2 x_i . x_j in float32 for i = a + r, j = a + c, and `norms[i]` is |x_i|^2: each
   * value plus its row's norm is offered to row i and, for the columns past the block, to row j
   * (the block's own columns reach their rows through those rows' own values). The diagonal is
   * skipped.
   */
  scan(shifted: Float32Array, a: number, m: number, norms: Float64Array): void {
    const w = this.n - a;
    this.scanDiagonal(shifted, w, a, m, norms);
    this.scanPair(shifted, w, m, a, m, a + m, w - m, norms);
  }

  /**
   * Takes rows [a, a + m) against themselves: `shifted[r stride + c]` is |x_j|^2 - 2 x_i . x_j in
   * float32 for i = a + r, j = a + c (c < m); each value plus norms[i] is offered to row i only
   * (row j gets its own value from its own row). The diagonal is skipped.
   */
  scanDiagonal(
    shifted: Float32Array,
    stride: number,
    a: number,
    m: number,
    norms: Float64Array,
  ): void {
    const threshold = this.threshold;
    for (let r = 0; r < m; r++) {
      const i = a + r;
      const ni = norms[i]!;
      const base = r * stride;
      for (let c = 0; c < m; c++) {
        const v = ni + shifted[base + c]!;
        if (v < threshold[i]! && c !== r) this.add(i, v, a + c);
      }
    }
  }

  /**
   * Takes rows [a, a + m) against the disjoint columns [j0, j0 + w): `shifted[r stride + from + c]`
   * is |x_j|^2 - 2 x_i . x_j in float32 for i = a + r, j = j0 + c; each value plus norms[i] is
   * offered to row i and to row j.
   */
  scanPair(
    shifted: Float32Array,
    stride: number,
    from: number,
    a: number,
    m: number,
    j0: number,
    w: number,
    norms: Float64Array,
  ): void {
    const threshold = this.threshold;
    // in tiles of columns: the lists a tile's values go to stay in cache across the block's rows
    // (faster than whole rows on the MNIST pixels). The inner loop only notes the columns under a
    // threshold, they are added after it: in WebAssembly SIMD where it loads
    // (assembly/select-kernel.ts), else in JavaScript with no call in the loop (the engine keeps
    // the arrays in registers).
    const rowHits = this.rowHits;
    const columnHits = this.columnHits;
    const kernel = this.kernel;
    for (let c0 = 0; c0 < w; c0 += this.tile) {
      const c1 = Math.min(w, c0 + this.tile);
      for (let r = 0; r < m; r++) {
        const i = a + r;
        const ni = norms[i]!;
        const base = r * stride + from;
        const mine = threshold[i]!;
        let rows = 0;
        let columns = 0;
        if (kernel !== null) {
          kernel.values.set(shifted.subarray(base + c0, base + c1));
          const { valuesAt: at, rowHitsAt, columnHitsAt } = kernel;
          const thresholdsAt = 8 * (j0 + c0);
          const found = kernel.filterRow(
            at,
            c1 - c0,
            ni,
            mine,
            thresholdsAt,
            rowHitsAt,
            columnHitsAt,
          );
          rows = found & 0xffff;
          columns = found >>> 16;
          for (let h = 0; h < rows; h++) rowHits[h] = rowHits[h]! + c0;
          for (let h = 0; h < columns; h++) columnHits[h] = columnHits[h]! + c0;
        } else {
          for (let c = c0; c < c1; c++) {
            const v = ni + shifted[base + c]!;
            if (v < mine) rowHits[rows++] = c;
            if (v < threshold[j0 + c]!) columnHits[columns++] = c;
          }
        }
        // row i's threshold may fall as it takes values: each is checked again
        for (let h = 0; h < rows; h++) {
          const c = rowHits[h]!;
          const v = ni + shifted[base + c]!;
          if (v < threshold[i]!) this.add(i, v, j0 + c);
        }
        // each column once a row: its threshold is the one the loop read
        for (let h = 0; h < columns; h++) {
          const c = columnHits[h]!;
          this.add(j0 + c, ni + shifted[base + c]!, i);
        }
      }
    }
  }

  /**
   * Row i's kept values and their columns, copied into `values`/`columns` (unordered, at least
   * 2K long).
   * @returns how many (at least K once the row has seen K others; n - 1 where fewer exist)
   */
  read(i: number, values: Float64Array, columns: Int32Array): number {
    const count = this.count[i]!;
    const at = i * this.capacity;
    values.set(this.values.subarray(at, at + count));
    columns.set(this.columns.subarray(at, at + count));
    return count;
  }

  /**
   * A bound every value row i did not keep is at least (+Infinity: it kept every value offered).
   */
  dropped(i: number): number {
    return this.threshold[i]!;
  }

  private add(i: number, v: number, j: number): void {
    const at = i * this.capacity;
    let count = this.count[i]!;
    this.values[at + count] = v;
    this.columns[at + count] = j;
    if (++count === this.capacity) count = this.cut(i);
    this.count[i] = count;
  }

  /**
   * Cuts row i's full list to its K smallest values (among ties at the K-th, any), the K-th
   * becoming the threshold: every value dropped, now or later, is at least it.
   * @returns K
   */
  private cut(i: number): number {
    const at = i * this.capacity;
    const K = this.keep;
    const { values, columns, scratchValues, scratchColumns, select } = this;
    scratchValues.set(values.subarray(at, at + this.capacity));
    scratchColumns.set(columns.subarray(at, at + this.capacity));
    select.set(scratchValues);
    const kth = kthSmallest(select, K - 1);
    // those under the K-th (fewer than K), then as many equal to it as make K
    let kept = 0;
    for (let p = 0; p < this.capacity; p++) {
      if (scratchValues[p]! < kth) {
        values[at + kept] = scratchValues[p]!;
        columns[at + kept++] = scratchColumns[p]!;
      }
    }
    for (let p = 0; kept < K; p++) {
      if (scratchValues[p] === kth) {
        values[at + kept] = kth;
        columns[at + kept++] = scratchColumns[p]!;
      }
    }
    this.threshold[i] = kth;
    return K;
  }
}

/** x rounded up to a multiple of 16 (v128 loads are fastest aligned). */
function align16(x: number): number {
  return Math.ceil(x / 16) * 16;
}
