/**
 * The partition kernel's inner loop in WebAssembly SIMD (AssemblyScript, compiled by `asc` into
 * dist/partition-kernel.wasm when @lacuna/worker builds; options in asconfig.json: SIMD, the
 * host's memory imported, the stub runtime since nothing is allocated, -O3): for one query leaf
 * and one candidate leaf, which queries can still take a point of the candidate leaf (box or ball
 * test), their distances to its points, and which of those are within the query's bound.
 *
 * Every leaf is stored dimension-major, its length padded to a multiple of 8: coordinate t of
 * the leaf's point j at block + (t * pad + j) * 8 (* 4 where every coordinate is exactly a
 * float32, as for float32 embeddings: half the memory a thread, each value widened exactly to
 * float64 as it is loaded). One v128 then holds one coordinate of two points, so each lane sums
 * its own distance over the dimensions in order, exactly as the scalar kernel does: the distances
 * are bit-identical to it (IEEE float64 sub, mul and add per lane, no fused multiply-add).
 */

/** Leaf layout, set once per index by the host (see WasmLeafKernel). */
let blockAt: usize = 0; // i32 per leaf: byte offset of its block
let padAt: usize = 0; // i32 per leaf: padded length
let startAt: usize = 0; // i32 per leaf + 1: first position
let lowAt: usize = 0; // f64 leaves x d: box corners
let highAt: usize = 0;
let centreAt: usize = 0; // f64 leaves x d: ball centres
let radiusAt: usize = 0; // f64 per leaf: ball radii
let boundAt: usize = 0; // f64 per position: each query's current k-th squared distance
let activeAt: usize = 0; // i32 scratch, one per point of the widest leaf
let hitQueryAt: usize = 0; // i32 per hit: the query's position
let hitPointAt: usize = 0; // i32 per hit: the candidate's position
let hitDistAt: usize = 0; // f64 per hit: the squared distance
let dims: i32 = 0;
/** Whether the leaves' coordinates are stored as float32 (every value exactly a float32: the
 * embeddings were float32), widened exactly to float64 as they are loaded; else float64. */
let narrow: bool = false;
/** log2 of a stored coordinate's bytes: 2 narrow, 3 wide. */
let shift: usize = 3;
/** Query-point distances computed since the index was laid out (what tests count). */
let evaluated: f64 = 0;

export function layout(
  blocks: usize,
  pads: usize,
  starts: usize,
  low: usize,
  high: usize,
  centre: usize,
  radius: usize,
  bounds: usize,
  active: usize,
  hitQuery: usize,
  hitPoint: usize,
  hitDist: usize,
  d: i32,
  float32: bool,
): void {
  blockAt = blocks;
  padAt = pads;
  startAt = starts;
  lowAt = low;
  highAt = high;
  centreAt = centre;
  radiusAt = radius;
  boundAt = bounds;
  activeAt = active;
  hitQueryAt = hitQuery;
  hitPointAt = hitPoint;
  hitDistAt = hitDist;
  dims = d;
  narrow = float32;
  shift = float32 ? 2 : 3;
  evaluated = 0;
}

/** Query-point distances computed (or begun: some are left part-way) since layout. */
export function evaluations(): f64 {
  return evaluated;
}

function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}

function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

/** The stored coordinates of two neighbouring points at p, as float64 (float32 widen exactly). */
function pairAt(p: usize): v128 {
  return narrow ? f64x2.promote_low_f32x4(v128.load64_zero(p)) : v128.load(p);
}

/**
 * Offers the points of leaf l to the queries of leaf q. With `balls` a query is tested against
 * l's ball (a rounding-safe triangle-inequality bound), else against l's box; the queries that
 * pass get their distances to every point of l, eight points at a time (a distance is left
 * part-way once all eight of its group exceed the query's bound: checked every 32 dimensions).
 * Every distance at or under its query's bound (self excluded) becomes a hit. Returns the number
 * of hits. From another leaf, a query whose bound is 0 is settled and skipped (radii only: 0 is
 * its radius whatever else comes), so copies are counted, not compared pairwise.
 */
export function scan(q: i32, l: i32, balls: bool): i32 {
  const d = dims;
  const qBlock = <usize>i32At(blockAt, q);
  const qPad = i32At(padAt, q);
  const qStart = i32At(startAt, q);
  const qLen = i32At(startAt, q + 1) - qStart;
  const lBlock = <usize>i32At(blockAt, l);
  const lPad = i32At(padAt, l);
  const lStart = i32At(startAt, l);
  const lLen = i32At(startAt, l + 1) - lStart;
  const qStride = (<usize>qPad) << shift;
  const lStride = (<usize>lPad) << shift;
  const bounds = boundAt + ((<usize>qStart) << 3);
  let m = 0;
  if (q == l) {
    for (let i = 0; i < qLen; i++) m = activate(m, i);
  } else {
    // two queries at a time: their coordinates sit side by side in q's block
    const zero = f64x2.splat(0);
    const box = (<usize>l * <usize>d) << 3;
    for (let i = 0; i < qLen; i += 2) {
      let s = f64x2.splat(0);
      let p = qBlock + ((<usize>i) << shift);
      if (balls) {
        let c = centreAt + box;
        for (let t = 0; t < d; t++) {
          const x = f64x2.sub(pairAt(p), f64x2.splat(load<f64>(c)));
          s = f64x2.add(s, f64x2.mul(x, x));
          p += qStride;
          c += 8;
        }
        // "not above" rather than "at most": a NaN bound (no finite input makes one) keeps the
        // query, as the scalar kernel does
        const reach = f64At(radiusAt, l);
        const b0 = f64At(bounds, i);
        if (b0 != 0 && !(ballGap(Math.sqrt(f64x2.extract_lane(s, 0)), reach, d) > b0)) {
          m = activate(m, i);
        }
        const b1 = f64At(bounds, i + 1);
        if (
          i + 1 < qLen &&
          b1 != 0 &&
          !(ballGap(Math.sqrt(f64x2.extract_lane(s, 1)), reach, d) > b1)
        ) {
          m = activate(m, i + 1);
        }
      } else {
        let lo = lowAt + box;
        let hi = highAt + box;
        for (let t = 0; t < d; t++) {
          const v = pairAt(p);
          const below = f64x2.sub(f64x2.splat(load<f64>(lo)), v);
          const above = f64x2.sub(v, f64x2.splat(load<f64>(hi)));
          // the gap along t: at most the distance along t to any point of the box
          const g = f64x2.max(f64x2.max(below, above), zero);
          s = f64x2.add(s, f64x2.mul(g, g));
          p += qStride;
          lo += 8;
          hi += 8;
        }
        const b0 = f64At(bounds, i);
        if (b0 != 0 && !(f64x2.extract_lane(s, 0) > b0)) {
          m = activate(m, i);
        }
        const b1 = f64At(bounds, i + 1);
        if (i + 1 < qLen && b1 != 0 && !(f64x2.extract_lane(s, 1) > b1)) {
          m = activate(m, i + 1);
        }
      }
    }
  }
  evaluated += <f64>m * <f64>lLen;
  let hits = 0;
  for (let a = 0; a < m; a++) {
    const i = i32At(activeAt, a);
    const boundValue = f64At(bounds, i);
    const bound = f64x2.splat(boundValue);
    const self = q == l ? i : -1;
    for (let j = 0; j < lLen; j += 8) {
      let a0 = f64x2.splat(0);
      let a1 = f64x2.splat(0);
      let a2 = f64x2.splat(0);
      let a3 = f64x2.splat(0);
      let p = qBlock + ((<usize>i) << shift);
      let c = lBlock + ((<usize>j) << shift);
      let t = 0;
      let near = v128.splat<i64>(-1);
      // the same sums either way; the loop is written twice so that the hottest loop tests no flag
      if (narrow) {
        while (t < d) {
          const stop = t + 32 < d ? t + 32 : d;
          for (; t < stop; t++) {
            const v = f64x2.splat(<f64>load<f32>(p));
            const x0 = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(c)), v);
            const x1 = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(c, 8)), v);
            const x2 = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(c, 16)), v);
            const x3 = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(c, 24)), v);
            a0 = f64x2.add(a0, f64x2.mul(x0, x0));
            a1 = f64x2.add(a1, f64x2.mul(x1, x1));
            a2 = f64x2.add(a2, f64x2.mul(x2, x2));
            a3 = f64x2.add(a3, f64x2.mul(x3, x3));
            p += qStride;
            c += lStride;
          }
          near = v128.or(
            v128.or(f64x2.le(a0, bound), f64x2.le(a1, bound)),
            v128.or(f64x2.le(a2, bound), f64x2.le(a3, bound)),
          );
          if (!v128.any_true(near)) break;
        }
      } else {
        while (t < d) {
          const stop = t + 32 < d ? t + 32 : d;
          for (; t < stop; t++) {
            const v = f64x2.splat(load<f64>(p));
            const x0 = f64x2.sub(v128.load(c), v);
            const x1 = f64x2.sub(v128.load(c, 16), v);
            const x2 = f64x2.sub(v128.load(c, 32), v);
            const x3 = f64x2.sub(v128.load(c, 48), v);
            a0 = f64x2.add(a0, f64x2.mul(x0, x0));
            a1 = f64x2.add(a1, f64x2.mul(x1, x1));
            a2 = f64x2.add(a2, f64x2.mul(x2, x2));
            a3 = f64x2.add(a3, f64x2.mul(x3, x3));
            p += qStride;
            c += lStride;
          }
          near = v128.or(
            v128.or(f64x2.le(a0, bound), f64x2.le(a1, bound)),
            v128.or(f64x2.le(a2, bound), f64x2.le(a3, bound)),
          );
          if (!v128.any_true(near)) break;
        }
      }
      if (!v128.any_true(near)) continue;
      hits = hit(hits, i, j, f64x2.extract_lane(a0, 0), boundValue, lLen, self, qStart, lStart);
      hits = hit(hits, i, j + 1, f64x2.extract_lane(a0, 1), boundValue, lLen, self, qStart, lStart);
      hits = hit(hits, i, j + 2, f64x2.extract_lane(a1, 0), boundValue, lLen, self, qStart, lStart);
      hits = hit(hits, i, j + 3, f64x2.extract_lane(a1, 1), boundValue, lLen, self, qStart, lStart);
      hits = hit(hits, i, j + 4, f64x2.extract_lane(a2, 0), boundValue, lLen, self, qStart, lStart);
      hits = hit(hits, i, j + 5, f64x2.extract_lane(a2, 1), boundValue, lLen, self, qStart, lStart);
      hits = hit(hits, i, j + 6, f64x2.extract_lane(a3, 0), boundValue, lLen, self, qStart, lStart);
      hits = hit(hits, i, j + 7, f64x2.extract_lane(a3, 1), boundValue, lLen, self, qStart, lStart);
    }
  }
  return hits;
}

/** Appends query i to the active list of length m. */
function activate(m: i32, i: i32): i32 {
  store<i32>(activeAt + ((<usize>m) << 2), i);
  return m + 1;
}

function hit(
  hits: i32,
  i: i32,
  j: i32,
  s: f64,
  bound: f64,
  len: i32,
  self: i32,
  qStart: i32,
  lStart: i32,
): i32 {
  // padding past the leaf's end, a distance over the bound (or left part-way), the query itself
  if (j >= len || s > bound || j == self) return hits;
  store<i32>(hitQueryAt + ((<usize>hits) << 2), qStart + i);
  store<i32>(hitPointAt + ((<usize>hits) << 2), lStart + j);
  store<f64>(hitDistAt + ((<usize>hits) << 3), s);
  return hits + 1;
}

/**
 * A squared distance no point of a ball of radius `reach` around a centre `centreDist` away can
 * come under, widened against rounding: the same bound as @lacuna/core's ballGap.
 */
function ballGap(centreDist: f64, reach: f64, d: i32): f64 {
  const e = <f64>(d + 8) * 8.881784197001252e-16; // (d + 8) 2^-50
  const gap = centreDist * (1 - e) - reach * (1 + e);
  return gap > 0 ? gap * gap * (1 - e) : 0;
}
