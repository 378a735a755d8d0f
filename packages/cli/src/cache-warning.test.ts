/** A finished command whose cache write fails: warned on stderr, exit 0, the output intact. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lacuna } from "./test-support/run.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-cache-warning-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("an unwritable embedding cache", () => {
  it("warns and finishes the command with exit 0", async () => {
    const blocker = join(dir, "a-file");
    await writeFile(blocker, "x");
    const out = join(dir, "codes.npy");
    const run = await lacuna([
      "embed",
      "--dataset",
      "mnist:test",
      "--limit",
      "40",
      "--out",
      out,
      "--cache-dir",
      join(blocker, "cache"),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/wrote .*codes\.npy: 40 x 10 float32/);
    expect(run.stderr).toMatch(/lacuna: warning: .*the embeddings were not cached/);
  });
});
