/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator): a uniform generator on [0, 1) with 2^-32
 * resolution, fully determined by `seed` (taken modulo 2^32). Fast and good enough for
 * initialisations and negative sampling; not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fills `out` with independent normal deviates of standard deviation `scale` (Box-Muller, two per
 * pair of uniforms), drawn from `random` in order, so the same generator state gives the same values.
 */
export function fillGaussian(out: Float64Array, scale: number, random: () => number): void {
  for (let p = 0; p < out.length; p += 2) {
    // 1 - u lies in (0, 1]: the logarithm stays finite
    const radius = scale * Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[p] = radius * Math.cos(angle);
    if (p + 1 < out.length) out[p + 1] = radius * Math.sin(angle);
  }
}
