/**
 * The streamed radii's inputs and sizes: a source of row blocks (an .npy larger than memory, read
 * by @lacuna/io's openNpyRows in the CLI: the worker does not import io), and how many rows each
 * block holds for a memory budget.
 */
import { CancelledError, LacunaError } from "@lacuna/core";
import { MAX_GEMM_VALUES } from "./native-gemm.js";
import { RowLists } from "./row-lists.js";

/** n x d rows read a block at a time. */
export interface RowSource {
  readonly n: number;
  readonly d: number;
  /** The rows' arithmetic: float32 rows stay float32 (as loaded in memory), others are float64. */
  readonly dtype: "float32" | "float64";
  /**
   * Rows [a, b), row-major, written into `out` (an array of `dtype`, at least (b - a) d long)
   * when the source can, else returned in an array of its own.
   */
  read(
    a: number,
    b: number,
    out?: Float32Array | Float64Array,
  ): Promise<Float32Array | Float64Array>;
}

export interface StreamedRadiiOptions {
  /**
   * Bytes the row blocks may take (the held block, the column chunk and their float32 copies).
   * The rows' lists (RowLists: about 24 (2k) bytes a row), norms and radii come on top:
   * StreamedPlan.rowStateBytes. Default 1 GiB.
   */
  readonly memoryBytes?: number;
  /** Rows of the held block, chunk and tiles, forced (tests: blocks that do not divide n). */
  readonly blockRows?: number;
  readonly chunkRows?: number;
  readonly tileRows?: number;
  /** onnxruntime's intra-op threads (default 1). */
  readonly threads?: number;
  readonly signal?: AbortSignal;
  /** Called after each block pair with the pairs done and the pairs planned. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Row counts of a streamed call. */
export interface StreamedPlan {
  /** Rows of the block held in memory while the later rows stream past it. */
  readonly blockRows: number;
  /** Rows read from the source at a time past the held block. */
  readonly chunkRows: number;
  /** Rows of one Gemm's queries, and columns of one Gemm (their product <= STREAM_GEMM_VALUES). */
  readonly tileRows: number;
  readonly spanColumns: number;
  /** Values each row's list keeps (RowLists' K). */
  readonly keep: number;
  /** Bytes of per-row state besides the blocks: the lists, norms (float64 and float32), radii. */
  readonly rowStateBytes: number;
}

/** Default budget for the row blocks: 1 GiB. */
export const DEFAULT_STREAM_MEMORY = 2 ** 30;

/**
 * Values one Gemm of the streamed loop returns: 2^21 (8 MiB), a quarter of MAX_GEMM_VALUES. Each
 * run's output is a new buffer that lives until the garbage collector runs; measured on 50 000 x
 * 128 rows, outputs of 32 MiB took the peak RSS from 244 MB (4 MiB outputs) to 412 MB, for the
 * same time. TILE_ROWS query rows by STREAM_GEMM_VALUES / TILE_ROWS (2048) columns.
 */
const STREAM_GEMM_VALUES = Math.min(MAX_GEMM_VALUES, 2 ** 21);
const TILE_ROWS = 1024;

/** A memory budget too small for two row blocks. */
export class StreamMemoryError extends LacunaError {
  constructor(budget: number, needed: number) {
    super(
      "input",
      "MEMORY_TOO_SMALL",
      `a memory budget of ${budget} bytes cannot hold two blocks of rows to stream; give at least ${needed} bytes (--memory, LACUNA_MEMORY)`,
    );
  }
}

/** Streaming needs onnxruntime-node (its Gemm); there is no slow path. */
export class StreamRuntimeError extends LacunaError {
  constructor(reason: string) {
    super(
      "unavailable",
      "NATIVE_RUNTIME_MISSING",
      `streaming an array larger than the memory budget needs onnxruntime-node, which is not available (${reason}); install it (npm install onnxruntime-node) or raise the budget (--memory) to read the array whole`,
    );
  }
}

/**
 * Block sizes for n x d rows of `bytesPerValue` (4 or 8) within `memoryBytes`: a chunk of columns
 * takes (bytesPerValue + 4) d bytes a row (its rows and their centred float32 copy), at most a
 * quarter of the budget and 8 Gemm spans; the held block the rest at max(4, bytesPerValue) d a row
 * (its centred copy while multiplying, its rows while re-ranking). The fewer held blocks, the
 * fewer passes over the file: each held block reads every later row twice.
 * @throws StreamMemoryError when not even one row of each fits
 */
export function planStreamedBlocks(
  n: number,
  d: number,
  k: number,
  bytesPerValue: number,
  options: StreamedRadiiOptions = {},
): StreamedPlan {
  const keep = Math.min(n - 1, k + Math.max(8, k));
  const rowStateBytes = RowLists.bytes(n, keep) + n * (8 + 4 + 8);
  const budget = options.memoryBytes ?? DEFAULT_STREAM_MEMORY;
  const chunkRowBytes = (bytesPerValue + 4) * d;
  const heldRowBytes = Math.max(4, bytesPerValue) * d;
  const tileRows = Math.min(options.tileRows ?? TILE_ROWS, n);
  const spanColumns = options.tileRows ?? Math.floor(STREAM_GEMM_VALUES / tileRows);
  let chunkRows = options.chunkRows ?? options.blockRows;
  let blockRows = options.blockRows;
  if (blockRows === undefined) {
    chunkRows ??= Math.min(8 * spanColumns, Math.floor(budget / 4 / chunkRowBytes));
    chunkRows = Math.max(1, Math.min(n, chunkRows));
    blockRows = Math.min(n, Math.floor((budget - chunkRows * chunkRowBytes) / heldRowBytes));
    if (blockRows < 1 || budget < chunkRowBytes + heldRowBytes)
      throw new StreamMemoryError(budget, chunkRowBytes + heldRowBytes);
  }
  return {
    blockRows: Math.min(n, blockRows),
    chunkRows: Math.min(n, chunkRows ?? blockRows),
    tileRows,
    spanColumns: Math.max(tileRows, spanColumns),
    keep,
    rowStateBytes,
  };
}

/**
 * Reads rows [a, b) of `source` into `target` (which must hold (b - a) d values), copying where
 * the source returned an array of its own.
 * @throws Error when the source returns the wrong number of values
 */
export async function readRows(
  source: RowSource,
  a: number,
  b: number,
  target: Float32Array | Float64Array,
): Promise<void> {
  const view = target.subarray(0, (b - a) * source.d);
  const got = await source.read(a, b, view);
  if (got.length !== view.length)
    throw new Error(`the row source returned ${got.length} values for rows ${a}..${b}`);
  if (got.buffer !== view.buffer || got.byteOffset !== view.byteOffset) view.set(got);
}

/** Throws CancelledError once `signal` is aborted. */
export function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
