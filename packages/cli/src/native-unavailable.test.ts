/**
 * `lacuna coverage` where onnxruntime-node will not load: the same answer from the CPU kernels
 * without it, and one line on stderr that names it and why (as for headless-gl). Random 256-d rows
 * are where the plan wants onnxruntime's GEMM (the partition prunes nothing there).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomEmbeddings } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lacuna, root, runtimeInstalled } from "./test-support/run.js";

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-no-ort-"));
  const e = randomEmbeddings(600, 256, 21);
  file = join(dir, "uniform-600x256.npy");
  await writeFile(file, encodeNpy(e.data, [e.n, e.d]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("lacuna coverage without onnxruntime-node", () => {
  it("says what it could not load, and answers as with it", async () => {
    const args = ["coverage", "--embeddings", file, "--json"];
    const [without, plain] = await Promise.all([
      lacuna(args, root, { LACUNA_NO_ONNXRUNTIME: "1" }),
      lacuna(args),
    ]);
    expect(without.code, without.stderr).toBe(0);
    expect(plain.code, plain.stderr).toBe(0);
    expect(without.stderr).toBe(
      "lacuna: onnxruntime-node unavailable: disabled by LACUNA_NO_ONNXRUNTIME=1; computed without it (same radii, slower). See the README, Install\n",
    );
    expect(without.stdout).toBe(plain.stdout);
    if (await runtimeInstalled()) expect(plain.stderr).not.toMatch(/unavailable/);
    else expect(plain.stderr).toMatch(/onnxruntime-node unavailable: onnxruntime-node does not/);
  });

  it("says nothing where the plan never wanted it (10-d codes: the partition wins)", async () => {
    const e = randomEmbeddings(600, 10, 22);
    const low = join(dir, "uniform-600x10.npy");
    await writeFile(low, encodeNpy(e.data, [e.n, e.d]));
    const run = await lacuna(["coverage", "--embeddings", low, "--json"], root, {
      LACUNA_NO_ONNXRUNTIME: "1",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
  });
});
