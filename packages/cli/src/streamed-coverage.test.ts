/** `lacuna coverage --memory`: an array over the budget streams, with the same radii. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomEmbeddings } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryBudget, parseSize } from "./streamed-coverage.js";
import { expectBadInput, fixtures, lacuna, root, runtimeInstalled } from "./test-support/run.js";

const BLOBS = join(fixtures, "blobs-2000x10.npy");

/** `lacuna` with environment variables over this process's. */
const lacunaEnv = (args: string[], env: Record<string, string> = {}) => lacuna(args, root, env);

let dir: string;
let float64File: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-stream-"));
  // float64 with exact duplicates and ties: 301 rows, blocks of the tiny budget do not divide it
  const e = randomEmbeddings(301, 7, 11, { grid: 5, duplicateRate: 0.1 });
  float64File = join(dir, "ties64.npy");
  await writeFile(float64File, encodeNpy(e.data, [e.n, e.d]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("parseSize and memoryBudget", () => {
  it("reads SI and IEC units as written, and refuses the rest", () => {
    expect(parseSize("512MB")).toBe(512e6);
    expect(parseSize("2GiB")).toBe(2 * 2 ** 30);
    expect(parseSize(" 1.5 gb ")).toBe(1.5e9);
    expect(parseSize("4096")).toBe(4096);
    expect(parseSize("3KiB")).toBe(3072);
    for (const bad of ["", "MB", "-1GB", "1e9", "2 GiBs", "0", "0.4"])
      expect(parseSize(bad)).toBe(null);
  });

  it("takes the flag, then LACUNA_MEMORY, then half the machine's memory", () => {
    expect(memoryBudget(1234, { LACUNA_MEMORY: "1GB" })).toBe(1234);
    expect(memoryBudget(undefined, { LACUNA_MEMORY: "1GB" })).toBe(1e9);
    expect(memoryBudget(undefined, {})).toBeGreaterThan(0);
    expect(() => memoryBudget(undefined, { LACUNA_MEMORY: "lots" })).toThrow(/LACUNA_MEMORY/);
  });
});

describe("lacuna coverage --memory", () => {
  it.each([
    ["float32 blobs", BLOBS, "40KB", []],
    ["float64 ties, naive", "", "3KiB", ["--method", "naive", "--k", "6"]],
  ])(
    "streams %s under a tiny budget and prints the same JSON as in memory",
    async (_name, file, memory, extra) => {
      if (!(await runtimeInstalled())) return;
      const path = file || float64File;
      const args = ["coverage", "--embeddings", path, "--json", ...extra];
      const [streamed, whole] = await Promise.all([
        lacunaEnv([...args, "--memory", memory]),
        lacunaEnv(args),
      ]);
      expect(streamed.code, streamed.stderr).toBe(0);
      expect(whole.code, whole.stderr).toBe(0);
      expect(streamed.stdout).toBe(whole.stdout);
      expect(streamed.stderr).toMatch(/streaming .* by row blocks: .* over the memory budget/);
      expect(whole.stderr).not.toMatch(/streaming/);
    },
  );

  it("streams under LACUNA_MEMORY too, and prints the table without gap regions", async () => {
    if (!(await runtimeInstalled())) return;
    const run = await lacunaEnv(["coverage", "--embeddings", BLOBS], { LACUNA_MEMORY: "50000" });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/memory budget of 50000/);
    expect(run.stdout).toMatch(/uncovered 20 of 2000/);
    expect(run.stdout).toMatch(/1980\s+1\.14391/);
    expect(run.stdout).toMatch(/Gap regions: not computed/);
  });

  it.each([
    [["--gaps", "--json"], /^lacuna: --gaps needs every row in memory.*raise --memory/],
    [["--per-class", "--labels", join(fixtures, "blobs-2000x10.labels.npy")], /--per-class needs/],
    [["--query", BLOBS], /--query needs every row/],
    [["--metric", "cosine"], /--metric cosine needs/],
  ])("refuses %j when the file would stream, naming --memory", async (extra, message) => {
    const run = await lacunaEnv(["coverage", "--embeddings", BLOBS, "--memory", "40KB", ...extra]);
    expectBadInput(run, message);
  });

  it("refuses a budget that is not a size, and data outside [0, 1] as in memory", async () => {
    expectBadInput(
      await lacunaEnv(["coverage", "--embeddings", BLOBS, "--memory", "lots"]),
      /--memory.*must be a size/,
    );
    expectBadInput(
      await lacunaEnv(["coverage", "--embeddings", BLOBS], { LACUNA_MEMORY: "-3" }),
      /LACUNA_MEMORY/,
    );
    const outside = join(dir, "outside.npy");
    const values = Float32Array.from({ length: 20 }, (_, i) => i / 20);
    values[13] = 2;
    await writeFile(outside, encodeNpy(values, [10, 2]));
    expectBadInput(
      await lacunaEnv(["coverage", "--embeddings", outside, "--k", "1", "--memory", "40"]),
      /\[0, 1\]/,
    );
  });

  it("says so, with exit 2, when onnxruntime-node is not there to stream with", async () => {
    const run = await lacunaEnv(["coverage", "--embeddings", BLOBS, "--memory", "40KB"], {
      LACUNA_NO_ONNXRUNTIME: "1",
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/needs onnxruntime-node/);
  });
});
