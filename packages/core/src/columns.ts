/**
 * Column means of n x d row-major values (numpy's x.mean(0)), except that a column whose values are
 * all equal gets exactly that value, whatever rounding its sum has: identical rows then sit at
 * distance exactly 0 from their centroid, and centre to exact zeros (numpy leaves ~1e-17 there).
 */
export function columnMeans(data: ArrayLike<number>, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  const constant = new Uint8Array(d).fill(1);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      const v = data[i * d + c]!;
      mean[c] = mean[c]! + v;
      if (v !== data[c]) constant[c] = 0;
    }
  }
  for (let c = 0; c < d; c++) mean[c] = constant[c] ? data[c]! : mean[c]! / n;
  return mean;
}
