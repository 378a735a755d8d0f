/**
 * Which kernel computes a call's radii, and why: every threshold of that choice lives here, pure
 * (numbers in, a plan out), so it is tested without threads. The pool gathers the facts (the GPU
 * probe, whether onnxruntime loads, the partition's measured work share) and runs the plan.
 *
 * Cost model, per pair of rows (query, point) on all threads together:
 * - the partition kernel (WebAssembly SIMD, float64) does a share s of brute force's n^2 pairs
 *   (core's partitionWorkShare, measured on a few leaves), each costing d times its cost per
 *   dimension plus its cost per pair (box and ball tests, leaf visits, hits);
 * - a GEMM does every pair: d times its per-multiply-add cost, plus a per-pair cost for its
 *   output (TopK, or the re-ranking scan);
 * so the GEMM wins where s > (d gemm + gemm pair) / (d partition + partition pair): its
 * break-even share, for onnxruntime's about 0.08 at 784-d, 0.11 at 512-d, 0.2 at 256-d, over 1
 * (never) below 24-d.
 */
import type { GpuMode, NativeProbeResult } from "./protocol.js";

export type Backend = "auto" | "cpu" | "gpujs";
export const BACKENDS: readonly Backend[] = ["auto", "cpu", "gpujs"];

/** The kernels a plan picks. */
export type PlannedKernel = "partition" | "native-gemm" | "tfjs-gemm" | "gpujs";

/** A GEMM's cost, in (relative) nanoseconds on all threads of this 2-core machine. */
interface GemmCost {
  /** Per multiply-add. */
  readonly perMac: number;
  /** Per (query, point) pair: the output, TopK or the re-ranking scan. */
  readonly perPair: number;
}

/**
 * Fitted to `node bench/kernels.mjs` on real data (the README's "The plan's cost model" table has
 * the runs; the units are only relative). The partition costs about half a nanosecond a dimension
 * and little per pair (a clustered case's extra is its leaf visits). onnxruntime's GEMM, which keeps
 * its centred copy for the whole call and multiplies the upper triangle only, costs nearly all of
 * its time per pair (the selection of candidates and their re-ranking), little per multiply-add. So
 * the GEMM wins only in high dimension or where the partition prunes almost nothing, and never
 * below about 24-d: on near-identical float32 rows in 16-d the GEMM's repeated selections for tied
 * rows cost 5x the partition.
 */
export const PARTITION_COST = { perDimension: 0.5, perPair: 10 } as const;
export const GEMM_COSTS: Readonly<Record<"native-gemm" | "tfjs-gemm", GemmCost>> = {
  "native-gemm": { perMac: 0.012, perPair: 24 },
  "tfjs-gemm": { perMac: 0.3, perPair: 40 },
};

/**
 * The partition work share above which the GEMM `kind` is faster in d dimensions (1 or more:
 * never; then the share is not worth measuring).
 */
export function gemmBreakEvenShare(d: number, kind: "native-gemm" | "tfjs-gemm"): number {
  const { perMac, perPair } = GEMM_COSTS[kind];
  return (d * perMac + perPair) / (d * PARTITION_COST.perDimension + PARTITION_COST.perPair);
}

/** Which GEMM the CPU would run: onnxruntime's where it loads, else TensorFlow.js's. */
export function cpuGemm(native: NativeProbeResult): "native-gemm" | "tfjs-gemm" {
  return native.available ? "native-gemm" : "tfjs-gemm";
}

/**
 * Rows of the sample the share is first measured on (in SAMPLE_MIN_DIMENSIONS and up): half the
 * former 4096, which cost twice as long in 784-d and settled the same choices.
 */
export const SHARE_SAMPLE_ROWS = 2048;

/**
 * Whether the share measured on an evenly spaced sample of SHARE_SAMPLE_ROWS rows already settles
 * the choice for the GEMM, so the full index (8 n d bytes) need not be built: the sample's share
 * overestimates the full data's (fewer points, coarser leaves: ten clusters in 512-d, 0.13 on all
 * 20 000 rows, 0.195 on 4096, 0.35 on 2048, 0.70 on 1024), so only a share above three times the
 * break-even counts (MNIST pixels and their 256-d projection: 1.0 on 2048 rows, against 0.25 and
 * 0.59); below that, the full index is built and measured.
 */
export function sampleSettlesGemm(sampleShare: number, d: number): boolean {
  return d >= SAMPLE_MIN_DIMENSIONS && sampleShare > 3 * gemmBreakEvenShare(d, "native-gemm");
}

/**
 * Below this many dimensions a sample never settles the choice: in few dimensions a sparse sample's
 * leaves are far coarser than the data's (the MNIST autoencoder's 60 000 x 10 codes: a share of
 * 0.47 on 4096 rows, 0.06 on all of them, where the partition runs about 3x faster than the
 * GEMM), so the full index is always built and measured there.
 */
export const SAMPLE_MIN_DIMENSIONS = 128;

export interface PlanFacts {
  readonly d: number;
  /** The gpu.js mode chosen for this backend (see KnnPool), or null for the CPU. */
  readonly gpu: { readonly mode: GpuMode | null; readonly detail: string };
  /** Whether onnxruntime loads (null: not asked, as when no GEMM can win). */
  readonly native: NativeProbeResult | null;
  /** The partition's measured share of brute force's work, or null where it was not measured. */
  readonly share: number | null;
  /** The rows the share was measured on, when a sample (see sampleSettlesGemm). */
  readonly sampled?: number;
  /** Forces a CPU kernel (benchmarks, tests); the plan still says what it would have chosen. */
  readonly force?: "partition" | "gemm";
}

export interface RadiiPlan {
  readonly kernel: PlannedKernel;
  /** One line: why, with the numbers compared. */
  readonly reason: string;
  /**
   * Why onnxruntime did not load, where it was asked for (call-plan.ts asks only where its GEMM
   * would win, or is forced) and another kernel runs instead: for the user (the CLI prints it),
   * not only in `reason`. Absent otherwise.
   */
  readonly unavailable?: string;
}

const pct = (share: number) => `${Math.round(share * 100)} %`;

/**
 * The kernel for a call: gpu.js where the backend chose a GPU mode; else the GEMM (onnxruntime's
 * when it loads, else TensorFlow.js's) where the partition's measured share is above the GEMM's
 * break-even share for this d, else the partition kernel.
 */
export function planRadii(facts: PlanFacts): RadiiPlan {
  const { d, gpu, native, share, force, sampled } = facts;
  if (gpu.mode !== null) return { kernel: "gpujs", reason: gpu.detail };
  const gemm = native === null ? "tfjs-gemm" : cpuGemm(native);
  const unavailable = native !== null && !native.available ? { unavailable: native.detail } : {};
  const breakEven = gemmBreakEvenShare(d, gemm);
  const why =
    share === null
      ? force === undefined
        ? `a GEMM cannot win in ${d} dimensions`
        : "the partition's work share not measured"
      : `the partition would do ${pct(share)} of brute force's work${sampled === undefined ? "" : ` (on a sample of ${sampled} rows)`}; the ${gemm === "native-gemm" ? "onnxruntime" : "TensorFlow.js"} GEMM wins above ${pct(breakEven)}`;
  const gemmWins = share !== null && share > breakEven;
  if (force === "gemm" || (force === undefined && gemmWins)) {
    const which =
      gemm === "native-gemm"
        ? `onnxruntime GEMM (${native?.detail ?? ""})`
        : `TensorFlow.js GEMM${native === null || native.available ? "" : ` (onnxruntime not available: ${native.detail})`}`;
    return {
      kernel: gemm,
      reason: `${which} with exact re-ranking: ${force === "gemm" ? "forced; " : ""}${why}`,
      ...unavailable,
    };
  }
  return {
    kernel: "partition",
    reason: `partition kernel: ${force === "partition" ? "forced; " : ""}${why}`,
    ...unavailable,
  };
}

/**
 * From this many dimensions the native thread loads onnxruntime and centres the data while the
 * main thread measures the plan's share sample (released when the sample does not settle the
 * GEMM, before a full index is built, so the partition's memory never holds both): the centring
 * then costs the command nothing. Where the GEMM can lose (the partition's 128-d million rows) it
 * is not started early.
 */
export const PREPARE_MIN_DIMENSIONS = 256;

/**
 * From this many dimensions the native GEMM of a whole call multiplies the upper triangle only
 * (native/row-lists.ts); below it, every row against all rows with onnxruntime's TopK. The upper
 * triangle halves the multiply-adds but selects its candidates itself (WebAssembly SIMD, on the
 * select thread while the next block's Gemm runs), which costs about the same whatever d: it wins
 * at 512-d and 784-d and still loses at 256-d (the README's Benchmarks list the runs).
 */
export const SYMMETRIC_MIN_DIMENSIONS = 384;

/**
 * Most float32 values one Gemm produces (its m x n output: 16 MiB): the size that keeps the memory
 * goal (3 x the input + 300 MB) on the pixels' 256-d projection whenever the engine's collector
 * runs, in the same time as larger blocks (the README's Benchmarks have the peaks).
 */
export const GEMM_BLOCK_VALUES = 2 ** 22;

/**
 * Rows per GEMM block: its m x n float32 output at most GEMM_BLOCK_VALUES, at least 16 rows (a
 * million points: 16 x 10^6 values), at most a tenth of the rows so progress moves.
 */
export function gemmBlockRows(n: number): number {
  return Math.max(16, Math.min(Math.floor(GEMM_BLOCK_VALUES / n), Math.ceil(n / 10)));
}
