import { random } from "@lacuna/core/testing";

/**
 * Deterministic benchmark data: Gaussian clusters in [0, 1]^d, a stand-in for autoencoder
 * embeddings (sigmoid codes cluster by class) until the MNIST encoder ships.
 */
export function clustered(n, d, { clusters = 10, spread = 0.06, seed = 7 } = {}) {
  const uniform = random(seed);
  const normal = () =>
    Math.sqrt(-2 * Math.log(uniform() + 1e-300)) * Math.cos(2 * Math.PI * uniform());
  const centres = Float64Array.from({ length: clusters * d }, () => 0.2 + 0.6 * uniform());
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(uniform() * clusters);
    for (let t = 0; t < d; t++) {
      const v = centres[c * d + t] + spread * normal();
      data[i * d + t] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return data;
}
