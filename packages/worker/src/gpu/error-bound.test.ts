import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  candidateThreshold,
  float32DistanceBound,
  gemmSquaredError,
  shiftedGemmSquaredError,
} from "./error-bound.js";
import { kthSmallest } from "../rerank.js";

const f = Math.fround;

/** The kernel's arithmetic as an IEEE float32 GPU performs it: every operation rounded to float32. */
function float32Distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) {
    const diff = f(f(a[t]!) - f(b[t]!));
    s = f(s + f(diff * diff));
  }
  return Math.sqrt(s);
}

function exactDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += (a[t]! - b[t]!) ** 2;
  return Math.sqrt(s);
}

const vector = (d: number) =>
  fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: d, maxLength: d });

describe("the float32 distance error bound", () => {
  it("holds for float64 inputs, near-duplicates included", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 64 })
          .chain((d) =>
            fc.tuple(vector(d), vector(d), fc.double({ min: 0, max: 1e-6, noNaN: true })),
          ),
        ([a, b, eps]) => {
          const near = a.map((v, t) => (t % 2 === 0 ? v + eps : b[t]!));
          const maxAbs = Math.max(...a.map(Math.abs), ...near.map(Math.abs));
          const bound = float32DistanceBound(a.length, maxAbs, false);
          for (const other of [b, near, a]) {
            const dt = exactDistance(a, other);
            expect(Math.abs(float32Distance(a, other) - dt)).toBeLessThanOrEqual(
              bound.relative * dt + bound.absolute,
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("holds with no absolute term beyond flush-to-zero for float32 inputs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 512 }).chain((d) => fc.tuple(vector(d), vector(d))),
        ([a, b]) => {
          const a32 = Float32Array.from(a);
          const b32 = Float32Array.from(b);
          const bound = float32DistanceBound(a.length, 4, true);
          expect(bound.absolute).toBe(Math.sqrt(a.length) * 2 ** -62);
          const dt = exactDistance(a32, b32);
          expect(Math.abs(float32Distance(a32, b32) - dt)).toBeLessThanOrEqual(
            bound.relative * dt + bound.absolute,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps every true k-nearest neighbour among the candidates", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (values, k) => {
          // 20 points in 3-D with clustered near-ties: many distances differ in the last bits only
          const pts = Array.from({ length: 20 }, (_, i) =>
            values.slice(i * 3, i * 3 + 3).map((v) => 0.5 + v * 1e-7),
          );
          const bound = float32DistanceBound(3, 1, false);
          const approx = Float64Array.from(pts.slice(1), (p) => float32Distance(pts[0]!, p));
          const exact = pts.slice(1).map((p) => exactDistance(pts[0]!, p));
          const tau = kthSmallest(Float64Array.from(approx), k - 1);
          const threshold = candidateThreshold(tau, bound);
          const trueKth = [...exact].sort((x, y) => x - y)[k - 1]!;
          exact.forEach((dt, j) => {
            if (dt <= trueKth) expect(approx[j]).toBeLessThanOrEqual(threshold);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("the float32 GEMM squared-distance error bound", () => {
  it("holds for any summation order of the float32 dot product", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }).chain((d) => fc.tuple(vector(d), vector(d), fc.integer())),
        ([a, b, seed]) => {
          const q = Float32Array.from(a);
          const x = Float32Array.from(b);
          // a float32 dot product summed in a shuffled order, as a blocked SIMD GEMM may
          const order = Array.from(q, (_, t) => t);
          let s = seed >>> 0 || 1;
          for (let t = order.length - 1; t > 0; t--) {
            s = (s * 1103515245 + 12345) >>> 0;
            const r = s % (t + 1);
            [order[t], order[r]] = [order[r]!, order[t]!];
          }
          let dot = 0;
          for (const t of order) dot = f(dot + f(q[t]! * x[t]!));
          let nq = 0;
          let nx = 0;
          let exact = 0;
          for (let t = 0; t < q.length; t++) {
            nq += q[t]! * q[t]!;
            nx += x[t]! * x[t]!;
            exact += (q[t]! - x[t]!) ** 2;
          }
          const approx = nq + nx - 2 * dot;
          expect(Math.abs(approx - exact)).toBeLessThanOrEqual(
            gemmSquaredError(q.length, Math.sqrt(nq), Math.sqrt(nx)),
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("the native kernel's shifted GEMM error bound", () => {
  it("holds whatever position the norm term takes in the float32 sum, near-duplicates included", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 600 })
          .chain((d) =>
            fc.tuple(
              vector(d),
              vector(d),
              fc.integer(),
              fc.double({ min: 0, max: 1e-3, noNaN: true }),
            ),
          ),
        ([a, b, seed, eps]) => {
          const q = Float32Array.from(a);
          // half the cases a near-duplicate of q, where the cancellation is worst
          const x = Float32Array.from(seed % 2 === 0 ? b : a.map((v) => v + eps));
          let nq = 0;
          let nx = 0;
          let exact = 0;
          for (let t = 0; t < q.length; t++) {
            nq += q[t]! * q[t]!;
            nx += x[t]! * x[t]!;
            exact += (q[t]! - x[t]!) ** 2;
          }
          // d + 1 float32 terms, -2 q_t x_t and fl32(|x|^2), summed in a shuffled order
          const terms = Array.from(q, (v, t) => f(-2 * f(v * x[t]!)));
          terms.push(f(nx));
          let s = seed >>> 0 || 1;
          for (let t = terms.length - 1; t > 0; t--) {
            s = (s * 1103515245 + 12345) >>> 0;
            const r = s % (t + 1);
            [terms[t], terms[r]] = [terms[r]!, terms[t]!];
          }
          let shifted = 0;
          for (const term of terms) shifted = f(shifted + term);
          const approx = nq + shifted;
          const bound = shiftedGemmSquaredError(q.length, Math.sqrt(nq), Math.sqrt(nx));
          expect(Math.abs(approx - exact)).toBeLessThanOrEqual(bound);
          // and it is tight enough to be useful: a small fraction of the terms' size
          expect(bound).toBeLessThan(1e-3 * (nq + nx + 2 * Math.sqrt(nq * nx)) + 1e-30);
        },
      ),
      { numRuns: 400 },
    );
  });
});
