import { random } from "@lacuna/core/testing";
import { createEmbeddings } from "@lacuna/core";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { gaussianClusters } from "./clusters.js";
import { pca } from "./pca.js";
import { fillGaussian } from "./random.js";

/** Eigenvalues (descending) and unit eigenvectors (columns) of a symmetric d x d matrix, by Jacobi rotations. */
function jacobiEigen(matrix: Float64Array, d: number): { values: number[]; vectors: Float64Array } {
  const a = matrix.slice();
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const tau = (a[q * d + q]! - a[p * d + p]!) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p]!;
          const akq = a[k * d + q]!;
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k]!;
          const aqk = a[q * d + k]!;
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort(
    (x, y) => a[y * d + y]! - a[x * d + x]!,
  );
  const vectors = new Float64Array(d * d);
  order.forEach((from, to) => {
    for (let k = 0; k < d; k++) vectors[k * d + to] = v[k * d + from]!;
  });
  return { values: order.map((i) => a[i * d + i]!), vectors };
}

/** The top-two-component projection from a direct covariance eigen-decomposition, signs as pca's. */
function referencePca(data: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] = mean[t]! + data[i * d + t]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < d; s++) {
      for (let t = 0; t < d; t++) {
        cov[s * d + t] =
          cov[s * d + t]! +
          ((data[i * d + s]! - mean[s]!) * (data[i * d + t]! - mean[t]!)) / (n - 1);
      }
    }
  }
  const { vectors } = jacobiEigen(cov, d);
  const out = new Float64Array(2 * n);
  for (let c = 0; c < Math.min(2, d); c++) {
    let largest = 0;
    for (let t = 1; t < d; t++) {
      if (Math.abs(vectors[t * d + c]!) > Math.abs(vectors[largest * d + c]!)) largest = t;
    }
    const sign = Math.sign(vectors[largest * d + c]!);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let t = 0; t < d; t++) sum += (data[i * d + t]! - mean[t]!) * sign * vectors[t * d + c]!;
      out[2 * i + c] = sum;
    }
  }
  return out;
}

/** Correlated data with distinct variances along every principal axis. */
function anisotropic(n: number, d: number, seed: number): Float64Array {
  const z = new Float64Array(n * d);
  fillGaussian(z, 1, random(seed));
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      let v = 3 + (d - t) * z[i * d + t]!;
      if (t > 0) v += 0.5 * z[i * d + t - 1]!;
      data[i * d + t] = v;
    }
  }
  return data;
}

describe("PCA", () => {
  it.each([
    [200, 5],
    [50, 12],
    [8, 20],
  ])(
    "equals the top two principal components of a covariance eigen-decomposition (n = %i, d = %i)",
    (n, d) => {
      const data = anisotropic(n, d, n + d);
      const got = pca(createEmbeddings(data, n, d));
      const want = referencePca(data, n, d);
      let scale = 0;
      for (const v of want) scale = Math.max(scale, Math.abs(v));
      for (let p = 0; p < 2 * n; p++)
        expect(Math.abs(got[p]! - want[p]!)).toBeLessThan(1e-9 * scale);
    },
  );

  it("fixes each component's sign: the largest loading is positive", () => {
    // variance mostly along (1, -0.05): the first coordinate must grow with x, whatever the SVD's sign
    const data = new Float64Array([-2, 0.1, 0, 0, 2, -0.1, 4, -0.2, -4, 0.2]);
    const got = pca(createEmbeddings(data, 5, 2));
    expect(got[2 * 3]!).toBeGreaterThan(got[2 * 4]!);
    expect(got[0]!).toBeLessThan(0);
    const mirrored = pca(
      createEmbeddings(
        data.map((v) => -v),
        5,
        2,
      ),
    );
    for (let p = 0; p < 10; p += 2) expect(mirrored[p]).toBeCloseTo(-got[p]!, 12);
  });

  it("gives float32 and float64 input the same result, 0 for a missing or empty component", () => {
    const { embeddings } = gaussianClusters(60, 4, 3, 2);
    const as64 = createEmbeddings(Float64Array.from(embeddings.data), 60, 4);
    expect(Array.from(pca(embeddings))).toEqual(Array.from(pca(as64)));
    const line = pca(createEmbeddings(new Float64Array([1, 2, 4, 8]), 4, 1));
    expect(Array.from(line)).toEqual([-2.75, 0, -1.75, 0, 0.25, 0, 4.25, 0]);
    const constant = pca(createEmbeddings(new Float32Array(12).fill(7), 4, 3));
    expect(Array.from(constant)).toEqual(new Array(8).fill(0));
  });
});

describe("loading", () => {
  it("leaves ml-pca and umap-js unloaded until a projection runs (every lacuna command imports the worker)", () => {
    // a fresh process, as the CLI starts: the built package, then what Node has loaded
    const script = `
      import { createRequire } from "node:module";
      const require = createRequire(import.meta.url);
      await import("@lacuna/worker");
      const loaded = () => Object.keys(require.cache).filter((k) => /ml-pca|umap-js/.test(k)).length;
      const before = loaded();
      const { pca } = await import("@lacuna/worker");
      pca({ n: 3, d: 2, data: Float64Array.of(0, 0, 1, 0, 0, 1) });
      console.log(JSON.stringify([before, loaded()]));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    const [before, after] = JSON.parse(run.stdout) as [number, number];
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });
});
