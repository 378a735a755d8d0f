/**
 * How far a distance computed by the float32 GPU kernel can be from the exact one, and the
 * candidate threshold that follows, so that re-ranking a few candidates exactly gives the exact
 * k-th neighbour distance.
 *
 * Model: the kernel evaluates s = sum_t (a_t - b_t)^2 in float32 from inputs rounded to float32.
 * - Arithmetic: each subtraction, square and addition rounds once, so the computed s is within a
 *   relative (d + 2) u of the sum of squares of the rounded inputs (u = 2^-24, Higham's gamma_{d+2});
 *   its square root within half that. GPUs are not bound to correctly rounded IEEE arithmetic
 *   (GLSL allows a few ulp), so Lacuna allows 4 times that: RELATIVE = 4 (d + 2) u.
 * - Input rounding (only for float64 data): each coordinate moves by at most u |x| + 2^-126 (values
 *   below float32's normal range round to a subnormal or, on GPUs that flush them, to 0), so a
 *   distance moves by at most 2 sqrt(d) (u M + 2^-126), M the largest |value|: an absolute term.
 * - Flush to zero: GPUs may flush float32 subnormals, so each squared term below 2^-126 may read
 *   as 0: an absolute sqrt(d) 2^-63 on the distance (2^-62 kept).
 * With dc the computed and dt the true distance: |dc - dt| <= RELATIVE dt + ABSOLUTE.
 */
export interface DistanceErrorBound {
  readonly relative: number;
  readonly absolute: number;
}

const U = 2 ** -24;

/** The bound for d dimensions, given the data's largest |value| and whether it is float32 already. */
export function float32DistanceBound(
  d: number,
  maxAbs: number,
  inputIsFloat32: boolean,
): DistanceErrorBound {
  const relative = 4 * (d + 2) * U;
  const rounding = inputIsFloat32 ? 0 : float32RoundingShift(d, maxAbs);
  return { relative, absolute: rounding + Math.sqrt(d) * 2 ** -62 };
}

/**
 * How far rounding float64 rows to float32 can move a Euclidean distance between two of them:
 * 2 sqrt(d) (u M + 2^-126), M the largest |value| (2^-126 covers underflow to subnormals or 0).
 */
export function float32RoundingShift(d: number, maxAbs: number): number {
  return 2 * Math.sqrt(d) * (U * maxAbs + 2 ** -126);
}

/**
 * Every point whose computed distance is at most this may be among the true k nearest, given tau,
 * the k-th smallest computed distance. Proof: the true k-th distance D_k is at most the largest
 * true distance of the k computed-nearest, so D_k <= (tau + a) / (1 - r); a true neighbour has
 * dt <= D_k, so its computed distance is at most (1 + r) D_k + a.
 */
export function candidateThreshold(tau: number, bound: DistanceErrorBound): number {
  const { relative: r, absolute: a } = bound;
  return ((1 + r) * (tau + a)) / (1 - r) + a;
}

/**
 * Absolute error of |q|^2 + |x|^2 - 2 fl32(q . x) as a squared distance, for a float32 GEMM of
 * d-long rows whatever its summation order: |fl(q . x) - q . x| <= d u |q||x| / (1 - d u), doubled
 * for safety, plus the float64 rounding of the norms and of the sum (4 d 2^-53 (|q|^2 + |x|^2)), plus
 * float32 underflow of products (4 d 2^-126).
 * `normQ` is |q|, `maxNorm` the largest row norm.
 */
export function gemmSquaredError(d: number, normQ: number, maxNorm: number): number {
  return (
    2 * 2 * d * U * normQ * maxNorm * 1.01 +
    4 * d * 2 ** -53 * (normQ * normQ + maxNorm * maxNorm) +
    // products and partial sums below float32's normal range: subnormal, or flushed to 0
    4 * d * 2 ** -126
  );
}

/**
 * Absolute error of |q|^2 + fl32(fl32(|x|^2) - 2 q . x) as a squared distance, the value the
 * native kernel's Gemm (alpha = -2, beta = 1, C = the rows' squared norms in float32) gives plus
 * |q|^2 in float64, whatever order the GEMM sums its d + 1 terms in (C first, last, or fused):
 * - the d + 1 terms -2 q_t x_t and fl32(|x|^2) summed in float32 with at most d + 2 roundings
 *   (the products, the sums, the scaling by alpha): at most gamma_{d+2} times the sum of their
 *   magnitudes, gamma_m = m u / (1 - m u), and that sum is at most |x|^2 (1 + u) + 2 |q| |x|;
 *   doubled for safety, as gemmSquaredError;
 * - rounding |x|^2 (float64) to float32 for C: u |x|^2, and 2^-149 below the normal range;
 * - the float64 norms and the final float64 sum: 4 (d + 2) 2^-53 (|q|^2 + |x|^2);
 * - products and partial sums below float32's normal range (subnormal, or flushed to 0):
 *   4 (d + 2) 2^-126.
 * `normQ` is |q|, `maxNorm` the largest row norm (the bound must hold for every x).
 */
export function shiftedGemmSquaredError(d: number, normQ: number, maxNorm: number): number {
  const m2 = maxNorm * maxNorm;
  const terms = m2 * (1 + U) + 2 * normQ * maxNorm;
  const gamma = ((d + 2) * U) / (1 - (d + 2) * U);
  return (
    2 * gamma * terms +
    U * m2 +
    2 ** -149 +
    4 * (d + 2) * 2 ** -53 * (normQ * normQ + m2) +
    4 * (d + 2) * 2 ** -126
  );
}
