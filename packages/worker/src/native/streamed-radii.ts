/**
 * Exact critical value radii of rows that are never all in memory: a RowSource is read in row
 * blocks, the way the native symmetric kernel (native-gemm.ts) computes them from memory.
 *
 * 1. One pass: the rows' mean (centre.ts's addToMean, block by block in row order: the same bits
 *    as centredFloat32's) and a check that every value is finite.
 * 2. The upper triangle by block pairs: a block of rows is held, centred in float32, and every
 *    later row streams past it in chunks, centred the same way; one onnxruntime Gemm per tile
 *    (at most 2^21 values: streamed-plan.ts) gives |x_j|^2 - 2 x_i . x_j, and RowLists takes it
 *    (scanDiagonal within a tile of the held block, scanPair for disjoint columns). The squared
 *    norms and the largest |x - mean| are taken as rows are centred. Then the next block is held.
 * 3. Each row's candidates from its list (list-settle.ts's listCandidates: the proven limit of
 *    every true k-nearest neighbour), and their exact float64 distances in a second pass by block
 *    pairs (streamed-rerank.ts); rows whose list could not settle (ties at the limit) are measured
 *    exactly against every row in a last pass. The radii are @lacuna/core's to the bit, by the
 *    argument of the in-memory kernel: same candidates limit, same exact arithmetic.
 *
 * Memory: the held block and a chunk (StreamedPlan, within the budget) and per row its list,
 * norms and radius (StreamedPlan.rowStateBytes); never the whole array.
 */
import { NonFiniteValueError, validateK } from "@lacuna/core";
import { addToMean, centreRows, centringShift } from "../centre.js";
import { exactSquaredNorm } from "./native-gemm.js";
import type { GemmBound } from "./list-settle.js";
import { GRAPH } from "./onnx-model.js";
import { type NativeRuntime, nativeRuntime } from "./ort-runtime.js";
import { RowLists } from "./row-lists.js";
import {
  checkSignal,
  planStreamedBlocks,
  readRows,
  type RowSource,
  type StreamedPlan,
  type StreamedRadiiOptions,
  StreamRuntimeError,
} from "./streamed-plan.js";
import {
  type Candidates,
  exactRadiiOf,
  listCandidateRows,
  rerankSweeps,
  type Sweep,
} from "./streamed-rerank.js";

export interface StreamedRadiiResult {
  readonly radii: Float64Array;
  readonly plan: StreamedPlan;
  /** Rows whose lists could not settle, measured exactly against every row. */
  readonly unsettled: number;
  /** For people: the blocks, the passes over the source, the runtime. */
  readonly detail: string;
}

/**
 * Exact radii (distance to the k-th nearest neighbour, self excluded) of every row of `source`,
 * the same to the bit as @lacuna/core's criticalValueRadii of the rows in memory, reading them in
 * row blocks (see this file's comment). Runs on the calling thread: the Gemm on onnxruntime's
 * intra-op threads (`options.threads`), the selection and the exact re-ranking in JavaScript.
 * Progress is reported per block pair; `options.signal` stops it between Gemms.
 * @throws core's InvalidParameterError / NotEnoughSamplesError (k), NonFiniteValueError,
 *   StreamMemoryError (budget too small), StreamRuntimeError (no onnxruntime-node),
 *   CancelledError
 */
export async function streamedRadii(
  source: RowSource,
  k: number,
  options: StreamedRadiiOptions = {},
): Promise<StreamedRadiiResult> {
  const { n, d } = source;
  validateK(k, n);
  const plan = planStreamedBlocks(n, d, k, source.dtype === "float32" ? 4 : 8, options);
  const runtime = await nativeRuntime(options.threads ?? 1);
  if (!runtime.ok) throw new StreamRuntimeError(runtime.reason);
  const held = Math.ceil(n / plan.blockRows);
  let pairs = 0;
  for (let i0 = 0; i0 < n; i0 += plan.blockRows)
    pairs += 1 + Math.ceil(Math.max(0, n - i0 - plan.blockRows) / plan.chunkRows);
  let done = 0;
  let total = 2 * pairs;
  const sweep: Sweep = {
    source,
    plan,
    signal: options.signal,
    tick: () => options.onProgress?.(++done, total),
  };
  const mean = await meanOf(sweep);
  const candidates = await gemmSweeps(runtime, sweep, mean, k);
  const unsettled = candidates.unsettled;
  const groups = Math.ceil(unsettled.length / plan.blockRows);
  total += groups * Math.ceil(n / plan.chunkRows);
  const radii = await rerankSweeps(sweep, candidates, k);
  await exactRadiiOf(sweep, unsettled, k, radii);
  return {
    radii,
    plan,
    unsettled: unsettled.length,
    detail: `streamed ${n} x ${d} ${source.dtype} rows: held blocks of ${plan.blockRows} rows (${held} pass${held === 1 ? "" : "es"} for the Gemm, as many for the exact re-ranking), chunks of ${plan.chunkRows}; ${unsettled.length} row${unsettled.length === 1 ? "" : "s"} measured against every row; onnxruntime ${runtime.version}`,
  };
}

/** A buffer of `rows` rows in the source's arithmetic. */
export function rowBuffer(source: RowSource, rows: number): Float32Array | Float64Array {
  return source.dtype === "float32"
    ? new Float32Array(rows * source.d)
    : new Float64Array(rows * source.d);
}

/** Pass 1: the rows' mean, each row divided by n first, in row order (centredFloat32's sum). */
async function meanOf({ source, plan, signal }: Sweep): Promise<Float64Array> {
  const { n, d } = source;
  const chunk = rowBuffer(source, plan.chunkRows);
  const mean = new Float64Array(d);
  for (let a = 0; a < n; a += plan.chunkRows) {
    checkSignal(signal);
    const b = Math.min(n, a + plan.chunkRows);
    await readRows(source, a, b, chunk);
    for (let p = 0; p < (b - a) * d; p++) {
      const v = chunk[p]!;
      if (!Number.isFinite(v)) throw new NonFiniteValueError(a + Math.floor(p / d), p % d, v);
    }
    addToMean(chunk, b - a, d, n, mean);
  }
  return mean;
}

/**
 * Pass 2: every pair of rows once through the Gemm into the rows' lists, then each row's
 * candidates (the lists are garbage once this returns).
 */
async function gemmSweeps(
  runtime: Extract<NativeRuntime, { ok: true }>,
  sweep: Sweep,
  mean: Float64Array,
  k: number,
): Promise<Candidates> {
  const { source, plan, signal } = sweep;
  const { n, d } = source;
  const { blockRows, chunkRows, tileRows, spanColumns } = plan;
  const { ort } = runtime;
  const lists = new RowLists(n, plan.keep);
  const raw = rowBuffer(source, chunkRows);
  const held = new Float32Array(blockRows * d);
  const chunk = new Float32Array(chunkRows * d);
  const norms = new Float64Array(n);
  const c = new Float32Array(n);
  let maxAbs = 0;
  let maxNormSq = 0;
  // rows [a, b) read through `raw` and centred into `into`, with their norms (the same values
  // on every pass: only the first pass's are new)
  const load = async (a: number, b: number, into: Float32Array) => {
    for (let p = a; p < b; p += chunkRows) {
      checkSignal(signal);
      const q = Math.min(b, p + chunkRows);
      await readRows(source, p, q, raw);
      const rows = into.subarray((p - a) * d, (q - a) * d);
      maxAbs = Math.max(maxAbs, centreRows(raw, q - p, d, mean, rows));
      for (let j = p; j < q; j++) {
        norms[j] = exactSquaredNorm(rows, d, j - p);
        c[j] = norms[j]!;
        if (norms[j]! > maxNormSq) maxNormSq = norms[j]!;
      }
    }
  };
  // |x_j|^2 - 2 q . x_j for m query rows against w column rows starting at row j0
  const gemm = async (queries: Float32Array, m: number, columns: Float32Array, j0: number) => {
    checkSignal(signal);
    const w = columns.length / d;
    const out = await runtime.gemm.run({
      [GRAPH.queries]: new ort.Tensor("float32", queries, [m, d]),
      [GRAPH.points]: new ort.Tensor("float32", columns, [w, d]),
      [GRAPH.norms]: new ort.Tensor("float32", c.subarray(j0, j0 + w), [1, w]),
    });
    const shifted = out[GRAPH.shifted]!.data;
    if (!(shifted instanceof Float32Array))
      throw new Error("onnxruntime returned unexpected tensor types");
    return shifted;
  };
  for (let i0 = 0; i0 < n; i0 += blockRows) {
    const i1 = Math.min(n, i0 + blockRows);
    await load(i0, i1, held);
    const tile = (a: number, m: number) => held.subarray((a - i0) * d, (a - i0 + m) * d);
    // the held block against itself: each tile against its own rows and the later ones
    for (let a = i0; a < i1; a += tileRows) {
      const m = Math.min(tileRows, i1 - a);
      for (let j0 = a; j0 < i1; j0 += spanColumns) {
        const w = Math.min(spanColumns, i1 - j0);
        const s = await gemm(tile(a, m), m, held.subarray((j0 - i0) * d, (j0 - i0 + w) * d), j0);
        if (j0 === a) {
          lists.scanDiagonal(s, w, a, m, norms);
          lists.scanPair(s, w, m, a, m, a + m, w - m, norms);
        } else lists.scanPair(s, w, 0, a, m, j0, w, norms);
      }
    }
    sweep.tick();
    // every later row, a chunk at a time
    for (let c0 = i1; c0 < n; c0 += chunkRows) {
      const c1 = Math.min(n, c0 + chunkRows);
      await load(c0, c1, chunk);
      for (let a = i0; a < i1; a += tileRows) {
        const m = Math.min(tileRows, i1 - a);
        for (let j0 = c0; j0 < c1; j0 += spanColumns) {
          const w = Math.min(spanColumns, c1 - j0);
          const s = await gemm(tile(a, m), m, chunk.subarray((j0 - c0) * d, (j0 - c0 + w) * d), j0);
          lists.scanPair(s, w, 0, a, m, j0, w, norms);
        }
      }
      sweep.tick();
    }
  }
  const bound: GemmBound = {
    d,
    norms,
    maxNorm: Math.sqrt(maxNormSq),
    eps: centringShift(d, maxAbs),
  };
  return listCandidateRows(lists, k, bound);
}
