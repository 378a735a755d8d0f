/** Finite values near +/-1.7e308: scaled without overflow, or refused with exit 2; never nonsense. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy } from "@lacuna/io";
import { expectBadInput, lacuna } from "./test-support/run.js";

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-huge-"));
  const n = 30;
  const values = Float64Array.from(
    { length: n * 2 },
    (_, i) => ((((i * 7919) % 61) - 30) / 30) * 1.7e308,
  );
  file = join(dir, "huge.npy");
  await writeFile(file, encodeNpy(values, [n, 2]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("huge finite values", () => {
  it("--force-unit-interval rescales them: finite radii, not every radius 0", async () => {
    const run = await lacuna([
      "coverage",
      "--embeddings",
      file,
      "--k",
      "3",
      "--force-unit-interval",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { criticalValueRadii: number[] };
    expect(out.criticalValueRadii.some((r) => r > 0)).toBe(true);
    expect(out.criticalValueRadii.every((r) => Number.isFinite(r))).toBe(true);
  });

  it("a projection of them is a coded error (exit 2), not null coordinates", async () => {
    expectBadInput(
      await lacuna(["project", "--embeddings", file, "--method", "pca", "--json"]),
      /must have magnitudes below .* \(sums of their squares would overflow\)/,
    );
  });
});
