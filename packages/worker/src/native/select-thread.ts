/**
 * The select thread: the symmetric native kernel's row lists (row-lists.ts) and the re-ranking of
 * their candidates, on a thread of their own, so the native thread's next Gemm runs while this one
 * scans the last (native-gemm.ts's SelectPipe starts it). onnxruntime's run holds the thread that
 * calls it for the whole Gemm; before, the scan and the re-ranking waited for it and it for them
 * (MNIST pixels: Gemm ~3 s, scan ~1.3 s, re-ranking ~0.5 s, one after the other).
 *
 * Messages, in order: one `start` a call, then its blocks in row order; each block is answered
 * with its rows' radii and the rows its lists could not settle (asked again through TopK by the
 * native thread), or with an error.
 */
import { parentPort } from "node:worker_threads";
import { type GemmBound, settleListRow } from "./list-settle.js";
import { RowLists } from "./row-lists.js";

export interface SelectStart {
  readonly type: "start";
  readonly call: number;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  /** Values each row's list keeps (RowLists' keep). */
  readonly keep: number;
  /** The embeddings as given, for the exact re-ranking. */
  readonly data: SharedArrayBuffer;
  readonly dtype: "float32" | "float64";
  /** Float64Array(n): the centred float32 rows' squared norms. */
  readonly norms: SharedArrayBuffer;
  readonly maxNorm: number;
  readonly eps: number;
  /** Int32Array(1): non-zero once the call is cancelled. */
  readonly cancel: SharedArrayBuffer;
}

export interface SelectBlock {
  readonly type: "block";
  readonly call: number;
  readonly rowA: number;
  readonly rowB: number;
  /** The Gemm's (rowB - rowA) x (n - rowA) shifted values, as RowLists.scan takes (moved here). */
  readonly values: Float32Array;
}

export type SelectReply =
  | {
      readonly call: number;
      readonly rowA: number;
      /** rowB - rowA radii (those of `pending` rows not set). */
      readonly radii: Float64Array;
      readonly pending: Int32Array;
      readonly reranked: number;
      readonly ms: { readonly select: number; readonly rerank: number };
    }
  | {
      readonly call: number;
      readonly rowA: number;
      readonly error: string;
      readonly stopped: boolean;
    };

interface Call {
  readonly start: SelectStart;
  readonly lists: RowLists;
  readonly bound: GemmBound;
  readonly data: Float32Array | Float64Array;
  readonly cancel: Int32Array;
}

let current: Call | null = null;

/** One block: scanned into the lists, then its rows settled (they have now seen every column). */
function block(message: SelectBlock): SelectReply {
  const { call, rowA, rowB } = message;
  const c = current;
  const m = rowB - rowA;
  if (c === null || c.start.call !== call || c.lists.next !== rowA)
    return { call, rowA, error: "select thread: block out of order", stopped: false };
  if (Atomics.load(c.cancel, 0) !== 0) {
    current = null;
    return { call, rowA, error: "stopped", stopped: true };
  }
  const { n, k } = c.start;
  const t0 = performance.now();
  c.lists.scan(message.values.subarray(0, m * (n - rowA)), rowA, m, c.bound.norms);
  c.lists.next = rowB;
  const t1 = performance.now();
  const radii = new Float64Array(m);
  const pending: number[] = [];
  const values = new Float64Array(2 * c.lists.keep);
  const columns = new Int32Array(2 * c.lists.keep);
  const exact = new Float64Array(2 * c.lists.keep);
  let reranked = 0;
  for (let i = rowA; i < rowB; i++) {
    const count = c.lists.read(i, values, columns);
    const settled = settleListRow(
      i,
      k,
      count,
      c.lists.dropped(i),
      values,
      columns,
      c.bound,
      c.data,
      exact,
    );
    if (settled === null) pending.push(i);
    else {
      radii[i - rowA] = settled.radius;
      reranked += settled.candidates;
    }
  }
  if (rowB === n) current = null; // the call's last block: let its lists go
  const ms = { select: t1 - t0, rerank: performance.now() - t1 };
  return { call, rowA, radii, pending: Int32Array.from(pending), reranked, ms };
}

parentPort?.on("message", (message: SelectStart | SelectBlock) => {
  if (message.type === "start") {
    current = null; // the previous call's lists go before the next ones are allocated
    const { n, d, keep, norms, maxNorm, eps } = message;
    current = {
      start: message,
      lists: new RowLists(n, keep),
      bound: { d, norms: new Float64Array(norms), maxNorm, eps },
      data:
        message.dtype === "float32"
          ? new Float32Array(message.data)
          : new Float64Array(message.data),
      cancel: new Int32Array(message.cancel),
    };
    return;
  }
  let reply: SelectReply;
  try {
    reply = block(message);
  } catch (error) {
    current = null;
    reply = { call: message.call, rowA: message.rowA, error: String(error), stopped: false };
  }
  if ("radii" in reply)
    parentPort!.postMessage(reply, [
      reply.radii.buffer as ArrayBuffer,
      reply.pending.buffer as ArrayBuffer,
    ]);
  else parentPort!.postMessage(reply);
});
