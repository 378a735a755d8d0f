import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLacunaError } from "@lacuna/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MODELS_DIR } from "./locations.js";
import { ModelChoiceError, resolveModelDir } from "./models.js";

const CLI = { model: "--model", modelDir: "--model-dir" };
let models: string;
beforeAll(async () => {
  models = await mkdtemp(join(tmpdir(), "lacuna-models-"));
  await mkdir(join(models, "good"));
  await writeFile(
    join(models, "good", "model.json"),
    JSON.stringify({ modelTopology: {}, weightsManifest: [] }),
  );
  await mkdir(join(models, "broken"));
  await writeFile(join(models, "broken", "model.json"), "{ not json");
  await mkdir(join(models, "graph"));
  await writeFile(join(models, "graph", "model.json"), JSON.stringify({ modelTopology: {} }));
});
afterAll(async () => {
  await rm(models, { recursive: true, force: true });
});

describe("resolveModelDir: one resolver for --model, --model-dir and GraphQL's model", () => {
  it("finds an installed model by name under the models directory", async () => {
    expect(await resolveModelDir({ model: "mnist-ae" }, DEFAULT_MODELS_DIR)).toBe(
      join(DEFAULT_MODELS_DIR, "mnist-ae"),
    );
    expect(await resolveModelDir({ model: "good" }, models, CLI)).toBe(join(models, "good"));
  });

  it("takes a folder anywhere, which wins over the name", async () => {
    const dir = join(models, "good");
    expect(await resolveModelDir({ model: "nonexistent", modelDir: dir }, "/nowhere", CLI)).toBe(
      dir,
    );
  });

  it("refuses a name that is a path, naming the argument of the caller", async () => {
    for (const bad of ["../etc", "/tmp/enc", "A", ""]) {
      await expect(resolveModelDir({ model: bad }, models)).rejects.toThrow(ModelChoiceError);
    }
    await expect(resolveModelDir({ model: "/tmp/enc" }, models, CLI)).rejects.toThrow(
      '--model must be the name of an installed model such as "mnist-ae" (a folder name, not a path: --model-dir takes one); received "/tmp/enc"',
    );
    await expect(resolveModelDir({ model: "../etc" }, models)).rejects.toThrow(
      'model must be the name of an installed model such as "mnist-ae" (a folder name, not a path); received "../etc"',
    );
  });

  it("gives one error for a missing or unusable installed model, without the server's paths", async () => {
    for (const name of ["missing", "broken", "graph"]) {
      const error: unknown = await resolveModelDir({ model: name }, models).catch((e) => e);
      expect(error).toBeInstanceOf(ModelChoiceError);
      expect(isLacunaError(error) && error.kind).toBe("input");
      expect(error).toMatchObject({ code: "INVALID_MODEL", argument: "model" });
      expect((error as Error).message).toBe(
        `model must be an installed model such as "mnist-ae" (a folder under the models directory, LACUNA_MODELS_DIR); received "${name}"`,
      );
      expect((error as Error).message).not.toContain(models);
    }
  });

  it("says what is wrong with a folder given by path", async () => {
    const cases: [string, string][] = [
      ["missing", "no readable model.json"],
      ["broken", "model.json is not valid JSON"],
      ["graph", "model.json has no weightsManifest"],
    ];
    for (const [name, problem] of cases) {
      const modelDir = join(models, name);
      await expect(resolveModelDir({ model: "mnist-ae", modelDir }, models, CLI)).rejects.toThrow(
        `--model-dir must be a folder holding a TensorFlow.js layers model (${problem}); received "${modelDir}"`,
      );
    }
  });
});
