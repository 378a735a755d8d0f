/**
 * The three sets the cross-coverage and collect suites run the CLI on (reference, query, pool:
 * seeded, in [0, 1)), written as .npy files, and the small helpers both suites share. The
 * brute-force references come from `@lacuna/core/testing`, written independently of core's search.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { createEmbeddings, type Embeddings } from "@lacuna/core";
import { randomEmbeddings } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import { lacuna } from "./run.js";

export const d = 3;
export const k = 5;
export const percent = 0.05;

/** The sets and their files, filled by useCrossSets's beforeAll. */
export interface CrossSets {
  dir: string;
  refFile: string;
  queryFile: string;
  poolFile: string;
  ref: Embeddings;
  query: Embeddings;
  pool: Embeddings;
}

/**
 * Registers a beforeAll that writes a 400-row reference, a 120-row query and a 200-row pool to a
 * temporary folder (and an afterAll that removes it); the returned object is filled by then.
 */
export function useCrossSets(): CrossSets {
  const sets = {} as CrossSets;
  beforeAll(async () => {
    sets.dir = await mkdtemp(join(tmpdir(), "lacuna-cross-"));
    let seed = 11;
    for (const [name, n] of [
      ["ref", 400],
      ["query", 120],
      ["pool", 200],
    ] as const) {
      const set = randomEmbeddings(n, d, seed++);
      const file = join(sets.dir, `${name}.npy`);
      await writeFile(file, encodeNpy(set.data, [n, d]));
      sets[name] = set;
      sets[`${name}File`] = file;
    }
  });
  afterAll(async () => {
    await rm(sets.dir, { recursive: true, force: true });
  });
  return sets;
}

/** Runs `lacuna args`, expects exit 0 and parses its stdout as JSON. */
export async function json<T>(args: string[]): Promise<T> {
  const run = await lacuna(args);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** The rows scaled to unit length (what --metric cosine measures), as float64. */
export function unitRows(set: Embeddings): Embeddings {
  const x = Float64Array.from(set.data);
  for (let i = 0; i < set.n; i++) {
    let s = 0;
    for (let c = 0; c < set.d; c++) s += x[i * set.d + c]! ** 2;
    for (let c = 0; c < set.d; c++) x[i * set.d + c] = x[i * set.d + c]! / Math.sqrt(s);
  }
  return createEmbeddings(x, set.n, set.d);
}
