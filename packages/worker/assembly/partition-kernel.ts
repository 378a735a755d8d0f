/**
 * The partition kernel's distance tiles in WebAssembly SIMD (AssemblyScript, compiled by `asc`
 * into dist/partition-kernel.wasm when @lacuna/worker builds).
 *
 * Every leaf of the spatial index is stored dimension-major, its length padded to a multiple of 8:
 * coordinate t of the leaf's point j at block + (t * pad + j) * 8. One v128 then holds one
 * coordinate of two candidates, so each lane sums its own distance over the dimensions in order,
 * exactly as the scalar kernel does: the results are bit-identical to it (IEEE float64 sub, mul,
 * add per lane, no fused multiply-add).
 */

/**
 * Squared distances from m query points of one leaf (local indices at `positions`, i32) to every
 * point of another: distance (i, j) at out + (i * lPad + j) * 8. A distance is left part-way (a
 * partial sum, already above the bound) once all eight lanes of its group exceed the query's bound
 * at `bounds` + i * 8: checked every 32 dimensions. Candidates go eight at a time (four v128
 * accumulators: each loaded query coordinate serves eight distances, each block row is one
 * 64-byte cache line).
 */
export function tile(
  qBlock: usize,
  qPad: i32,
  positions: usize,
  bounds: usize,
  m: i32,
  lBlock: usize,
  lLen: i32,
  lPad: i32,
  d: i32,
  out: usize,
): void {
  const qStride = (<usize>qPad) << 3;
  const lStride = (<usize>lPad) << 3;
  for (let i = 0; i < m; i++) {
    const local = load<i32>(positions + ((<usize>i) << 2));
    const bound = f64x2.splat(load<f64>(bounds + ((<usize>i) << 3)));
    const row = out + ((<usize>(i * lPad)) << 3);
    for (let j = 0; j < lLen; j += 8) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let q = qBlock + ((<usize>local) << 3);
      let c = lBlock + ((<usize>j) << 3);
      let t = 0;
      while (t < d) {
        const stop = t + 32 < d ? t + 32 : d;
        for (; t < stop; t++) {
          const v = f64x2.splat(load<f64>(q));
          const x0 = f64x2.sub(v128.load(c), v);
          const x1 = f64x2.sub(v128.load(c, 16), v);
          const x2 = f64x2.sub(v128.load(c, 32), v);
          const x3 = f64x2.sub(v128.load(c, 48), v);
          a0 = f64x2.add(a0, f64x2.mul(x0, x0));
          a1 = f64x2.add(a1, f64x2.mul(x1, x1));
          a2 = f64x2.add(a2, f64x2.mul(x2, x2));
          a3 = f64x2.add(a3, f64x2.mul(x3, x3));
          q += qStride;
          c += lStride;
        }
        const near = v128.or(
          v128.or(f64x2.le(a0, bound), f64x2.le(a1, bound)),
          v128.or(f64x2.le(a2, bound), f64x2.le(a3, bound)),
        );
        if (!v128.any_true(near)) break;
      }
      const at = row + ((<usize>j) << 3);
      v128.store(at, a0);
      v128.store(at, a1, 16);
      v128.store(at, a2, 32);
      v128.store(at, a3, 48);
    }
  }
}
