/** model.json is input: its weight paths stay in the model folder and its shapes must fit. */
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidModelError } from "../pool-errors.js";
import { modelHash } from "./load.js";

const shipped = resolve(
  fileURLToPath(new URL(".", import.meta.url)),
  "../../../../models/mnist-ae",
);
let dir: string;
let manifest: { weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-model-"));
  await writeFile(join(dir, "secret.bin"), "outside the model folder");
  manifest = JSON.parse(await readFile(join(shipped, "model.json"), "utf8")) as typeof manifest;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the shipped model in its own folder, model.json changed by `edit`. */
async function variant(name: string, edit: (json: typeof manifest) => void): Promise<string> {
  const folder = join(dir, name);
  await mkdir(folder);
  await copyFile(join(shipped, "weights.bin"), join(folder, "weights.bin"));
  const json = structuredClone(manifest);
  edit(json);
  await writeFile(join(folder, "model.json"), JSON.stringify(json));
  return folder;
}

describe("model weights", () => {
  it("reads the shipped model", async () => {
    expect(await modelHash(shipped)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses weight paths that leave the model folder: ../, absolute, through a link", async () => {
    const dotdot = await variant(
      "dotdot",
      (j) => (j.weightsManifest[0]!.paths = ["../secret.bin"]),
    );
    await expect(modelHash(dotdot)).rejects.toThrow(/leads outside the model folder/);
    const absolute = await variant("absolute", (j) => {
      j.weightsManifest[0]!.paths = [join(dir, "secret.bin")];
    });
    await expect(modelHash(absolute)).rejects.toThrow(/must be relative to the model folder/);
    const linked = await variant("linked", (j) => (j.weightsManifest[0]!.paths = ["link.bin"]));
    execFileSync("ln", ["-s", join(dir, "secret.bin"), join(linked, "link.bin")]);
    await expect(modelHash(linked)).rejects.toThrow(InvalidModelError);
  });

  it("refuses weight shapes that the weight files cannot hold", async () => {
    const bad = await variant("shapes", (j) => {
      j.weightsManifest[0]!.weights[0]!.shape = [1_000, 1_000];
    });
    await expect(modelHash(bad)).rejects.toThrow(/weight shapes in model.json need \d+ bytes/);
  });

  it("refuses a FIFO as a weight file without blocking", async () => {
    const fifo = await variant("fifo", (j) => (j.weightsManifest[0]!.paths = ["pipe.bin"]));
    execFileSync("mkfifo", [join(fifo, "pipe.bin")]);
    await expect(modelHash(fifo)).rejects.toThrow(/not a regular file/);
  });
});
