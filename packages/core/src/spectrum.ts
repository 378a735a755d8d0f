import { Matrix, SingularValueDecomposition } from "ml-matrix";

/**
 * Singular values of a rows x cols row-major matrix, descending; min(rows, cols) of them, all >= 0.
 *
 * Householder QR of the tall orientation in plain float64 loops (2 max(rows, cols) min(rows, cols)^2
 * flops, no n x d ml-matrix object), then ml-matrix's SVD of the small square triangular factor.
 * Both steps are backward stable, so the values equal those of an SVD of the whole matrix (numpy's
 * `linalg.svd`) to rounding, the smallest included: rank decisions at numpy's tolerance agree. The
 * matrix is scaled by a power of two near its largest absolute value first (exactly), so no square
 * overflows or underflows.
 */
export function singularValues(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const p = tall ? cols : rows;
  let scale = 0;
  for (let q = 0; q < rows * cols; q++) {
    const v = Math.abs(data[q]!);
    if (v > scale) scale = v;
  }
  const values = new Float64Array(p);
  if (scale === 0) return values;
  scale = 2 ** Math.ceil(Math.log2(scale)); // a power of two: scaling is exact
  // column-major m x p: a[c * m + r]. The transpose of a wide row-major matrix is already laid out so.
  const a = new Float64Array(m * p);
  if (tall) {
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) a[c * m + r] = data[r * cols + c]! / scale;
  } else {
    for (let q = 0; q < rows * cols; q++) a[q] = data[q]! / scale;
  }
  householderInPlace(a, m, p);
  const r = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let c = i; c < p; c++) r[i * p + c] = a[c * m + i]!;
  const s = denseSingularValues(r, p, p);
  for (let i = 0; i < p; i++) values[i] = s[i]! * scale;
  return values;
}

/**
 * Singular values of a small dense rows x cols row-major matrix (rows >= cols), descending, by
 * ml-matrix's SVD (Golub-Kahan, no singular vectors). O(rows cols^2) with ml-matrix's overheads:
 * meant for the triangular factors of a QR, not for n x d data.
 */
export function denseSingularValues(data: Float64Array, rows: number, cols: number): Float64Array {
  const matrix = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < cols; c++) matrix.set(i, c, data[i * cols + c]!);
  const svd = new SingularValueDecomposition(matrix, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
  });
  const s = svd.diagonal;
  const values = new Float64Array(cols);
  for (let i = 0; i < cols; i++) values[i] = Math.abs(s[i]!);
  return values.sort().reverse();
}

/**
 * Householder QR of a column-major m x p matrix (m >= p), in place: afterwards its upper triangle
 * (a[c * m + r], r <= c) is R; Q is not kept. 2 m p^2 flops; a column of exact zeros stays so.
 */
export function householderInPlace(a: Float64Array, m: number, p: number): void {
  const v = new Float64Array(m);
  for (let j = 0; j < p; j++) {
    const cj = j * m;
    let norm2 = 0;
    for (let i = j; i < m; i++) norm2 += a[cj + i]! * a[cj + i]!;
    if (norm2 === 0) continue; // nothing below or on the diagonal: R[j][j] = 0, no reflection
    const x0 = a[cj + j]!;
    const alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    v[j] = x0 - alpha;
    for (let i = j + 1; i < m; i++) v[i] = a[cj + i]!;
    const vtv = norm2 - x0 * x0 + v[j]! * v[j]!;
    a[cj + j] = alpha;
    for (let i = j + 1; i < m; i++) a[cj + i] = 0;
    for (let c = j + 1; c < p; c++) {
      const cc = c * m;
      // four partial sums pipeline better than one (the README has the QR timing)
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = j;
      for (; i + 3 < m; i += 4) {
        s0 += v[i]! * a[cc + i]!;
        s1 += v[i + 1]! * a[cc + i + 1]!;
        s2 += v[i + 2]! * a[cc + i + 2]!;
        s3 += v[i + 3]! * a[cc + i + 3]!;
      }
      for (; i < m; i++) s0 += v[i]! * a[cc + i]!;
      const f = (2 * (s0 + s1 + (s2 + s3))) / vtv;
      for (let i = j; i < m; i++) a[cc + i] = a[cc + i]! - f * v[i]!;
    }
  }
}

/**
 * numpy's `linalg.matrix_rank` from the singular values of a rows x cols matrix: how many exceed
 * s_max * max(rows, cols) * machine epsilon. 0 for the zero matrix.
 */
export function matrixRank(singular: Float64Array, rows: number, cols: number): number {
  const tol = (singular[0] ?? 0) * Math.max(rows, cols) * Number.EPSILON;
  let rank = 0;
  for (let i = 0; i < singular.length; i++) if (singular[i]! > tol) rank++;
  return rank;
}

/**
 * Effective dimension exp(H) of a data matrix with n rows from its singular values s: the
 * covariance eigenvalues are s^2 / (n - 1); those not above `minEigenvalue` are dropped, the rest
 * normalised to shares p summing to 1, and H = -sum p log p (nats). Between 1 and the number kept.
 *
 * Edge cases, where DataEval's arithmetic gives NaN: a share of exactly 0 is dropped (0 log 0 = 0),
 * and when no eigenvalue is left (every row the same, or n < 2) the entropy of nothing is 0, so the
 * effective dimension is 1.
 */
export function effectiveDimension(singular: Float64Array, n: number, minEigenvalue = 0): number {
  if (n < 2) return 1;
  const eig = new Float64Array(singular.length);
  let kept = 0;
  for (let i = 0; i < singular.length; i++) {
    const e = (singular[i]! * singular[i]!) / (n - 1);
    if (e > minEigenvalue) eig[kept++] = e;
  }
  const values = eig.subarray(0, kept).sort().reverse();
  let total = 0;
  for (let i = 0; i < kept; i++) total += values[i]!;
  if (!(total > 0)) return 1;
  let entropy = 0;
  for (let i = 0; i < kept; i++) {
    const share = values[i]! / total;
    if (share > 0) entropy -= share * Math.log(share);
  }
  return Math.exp(entropy);
}
