/**
 * The row lists' scan (src/native/row-lists.ts) in WebAssembly SIMD (AssemblyScript, compiled by
 * `asc` into dist/select-kernel.wasm when @lacuna/worker builds; options in select.asconfig.json:
 * SIMD, the host's memory imported, not shared, the stub runtime since nothing is allocated,
 * -O3): for one row's tile of float32 values s_c, which columns c have v = ni + s_c under the
 * row's threshold, and which under their own column's threshold. v is the float64 sum of the
 * exactly widened float32 and ni, compared with `<`, as the JavaScript loop does: the same columns.
 *
 * Two lanes of float64 per v128: four values a step are widened, offset and compared with the
 * row's threshold and their columns' thresholds; a step with no hit (nearly all, once the lists
 * are full) costs one branch.
 */

/**
 * Notes the columns of one row's tile of `count` float32 values at `values` whose value plus ni
 * is under `mine` (into rowHits) and under thresholds[c] (f64 at `thresholds`, into columnHits),
 * each as its index c in the tile (i32), in order.
 * @returns rows | (columns << 16) (count is at most 32 768, so each fits in 16 bits)
 */
export function filterRow(
  values: usize,
  count: i32,
  ni: f64,
  mine: f64,
  thresholds: usize,
  rowHits: usize,
  columnHits: usize,
): i32 {
  let rows: i32 = 0;
  let columns: i32 = 0;
  const niv = f64x2.splat(ni);
  const minev = f64x2.splat(mine);
  let c: i32 = 0;
  for (; c + 4 <= count; c += 4) {
    const s = v128.load(values + ((<usize>c) << 2));
    const low = f64x2.promote_low_f32x4(s);
    const high = f64x2.promote_low_f32x4(v128.shuffle<u32>(s, s, 2, 3, 0, 1));
    const vLow = f64x2.add(low, niv);
    const vHigh = f64x2.add(high, niv);
    const t = thresholds + ((<usize>c) << 3);
    const hit = v128.or(
      v128.or(f64x2.lt(vLow, minev), f64x2.lt(vHigh, minev)),
      v128.or(f64x2.lt(vLow, v128.load(t)), f64x2.lt(vHigh, v128.load(t, 16))),
    );
    if (v128.any_true(hit)) {
      for (let q: i32 = c; q < c + 4; q++) {
        const v = ni + <f64>load<f32>(values + ((<usize>q) << 2));
        if (v < mine) {
          store<i32>(rowHits + ((<usize>rows) << 2), q);
          rows++;
        }
        if (v < load<f64>(thresholds + ((<usize>q) << 3))) {
          store<i32>(columnHits + ((<usize>columns) << 2), q);
          columns++;
        }
      }
    }
  }
  for (; c < count; c++) {
    const v = ni + <f64>load<f32>(values + ((<usize>c) << 2));
    if (v < mine) {
      store<i32>(rowHits + ((<usize>rows) << 2), c);
      rows++;
    }
    if (v < load<f64>(thresholds + ((<usize>c) << 3))) {
      store<i32>(columnHits + ((<usize>columns) << 2), c);
      columns++;
    }
  }
  return rows | (columns << 16);
}
