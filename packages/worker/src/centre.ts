import { float32RoundingShift } from "./gpu/error-bound.js";

/** A float32 copy of rows moved to their mean, and how far that copy can move a distance. */
export interface CentredRows {
  /** n x d: fl32(x_i - c), c the rows' mean (float64). */
  readonly points: Float32Array;
  /**
   * A bound on | |y_i - y_j| - |x_i - x_j| | for any two rows (the same units as the data): the
   * `eps` of the GEMM kernels' candidate thresholds.
   */
  readonly shift: number;
}

/**
 * The float32 copy a GEMM kernel multiplies, taken after subtracting the rows' mean. Distances do
 * not change under a translation, but the GEMM's float32 error grows with the rows' norms
 * (shiftedGemmSquaredError: u |q| |x| per dimension): rows far from the origin and close to each
 * other (one row plus 1e-9 noise, or pixels all around mid-grey) made every row a candidate, so
 * the exact re-ranking went quadratic (20 000 x 16 near-identical rows: 140 s). Centred, the norms
 * are the data's spread, and the error shrinks with it.
 *
 * Why the bound holds: each coordinate v = fl64(x - c) is within 2^-53 |x - c| of x - c, and
 * fl32(v) within u |v| + 2^-126 of v (u = 2^-24; 2^-126 for underflow), so within
 * u (1 + 2^-27) M + 2^-126 of x - c, M the largest |v|: float32RoundingShift with M widened by
 * (1 + 2^-27). Both for float32 and float64 data (float32 data is no longer exact once moved).
 * O(n d) time; `out` (n x d) is filled when given, else allocated.
 */
export function centredFloat32(
  data: Float32Array | Float64Array,
  n: number,
  d: number,
  out: Float32Array = new Float32Array(n * d),
): CentredRows {
  const mean = new Float64Array(d);
  addToMean(data, n, d, n, mean);
  const maxAbs = centreRows(data, n, d, mean, out);
  return { points: out, shift: centringShift(d, maxAbs) };
}

/**
 * Adds `rows` rows of `data` (row-major, d wide), each divided by `n` first (no overflow for
 * values near the float64 maximum), to `mean`: called on consecutive row blocks in row order,
 * the sum is the same, to the bit, as over all n rows at once.
 */
export function addToMean(
  data: Float32Array | Float64Array,
  rows: number,
  d: number,
  n: number,
  mean: Float64Array,
): void {
  for (let i = 0; i < rows; i++)
    for (let t = 0; t < d; t++) mean[t] = mean[t]! + data[i * d + t]! / n;
}

/**
 * Writes fl32(x - mean) of `rows` rows of `data` into `out` (the same layout).
 * @returns the largest |x - mean| (float64, before the rounding to float32), for centringShift
 */
export function centreRows(
  data: Float32Array | Float64Array,
  rows: number,
  d: number,
  mean: Float64Array,
  out: Float32Array,
): number {
  let maxAbs = 0;
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < d; t++) {
      const v = data[i * d + t]! - mean[t]!;
      const a = Math.abs(v);
      if (a > maxAbs) maxAbs = a;
      out[i * d + t] = v;
    }
  }
  return maxAbs;
}

/** The `shift` of CentredRows for rows whose largest |x - mean| is `maxAbs` (see centredFloat32). */
export function centringShift(d: number, maxAbs: number): number {
  return float32RoundingShift(d, maxAbs * (1 + 2 ** -27));
}
