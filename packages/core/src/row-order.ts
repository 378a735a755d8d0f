/**
 * Rows of a flat n x d array put in another order in place, and back: the spatial index's leaf
 * order without a second copy of the data (1M x 128 float32: 512 MB less at the peak).
 */

/**
 * Reorders the rows of `data` (n x d, row-major) in place so that row p becomes the old row
 * `from[p]`, following the permutation's cycles: O(n d) moves, one row and n bytes of scratch.
 * @param from a permutation of 0 .. n - 1 (n = from.length); not checked: a repeated entry
 *   duplicates a row and loses another
 */
export function gatherRowsInPlace(
  data: Float32Array | Float64Array,
  d: number,
  from: Int32Array,
): void {
  const n = from.length;
  const done = new Uint8Array(n);
  const row = data.slice(0, d);
  for (let s = 0; s < n; s++) {
    if (done[s] === 1) continue;
    done[s] = 1;
    if (from[s] === s) continue;
    row.set(data.subarray(s * d, s * d + d));
    let p = s;
    for (;;) {
      const src = from[p]!;
      if (src === s) {
        data.set(row, p * d);
        break;
      }
      // row src is read before anything writes it: the cycle writes p, then moves on to src
      data.copyWithin(p * d, src * d, src * d + d);
      done[src] = 1;
      p = src;
    }
  }
}

/**
 * Undoes gatherRowsInPlace(data, d, from): row from[p] becomes the current row p again, the
 * original order. O(n d) moves and an n-entry inverse.
 */
export function restoreRowsInPlace(
  data: Float32Array | Float64Array,
  d: number,
  from: Int32Array,
): void {
  const inverse = new Int32Array(from.length);
  for (let p = 0; p < from.length; p++) inverse[from[p]!] = p;
  gatherRowsInPlace(data, d, inverse);
}
