import { DEFAULT_MODELS_DIR, ModelChoiceError } from "@lacuna/io";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encoderDir } from "./dataset-embeddings.js";

const shipped = join(DEFAULT_MODELS_DIR, "mnist-ae");

describe("encoderDir: --model is a name as in GraphQL, --model-dir a folder", () => {
  it("finds a model name under LACUNA_MODELS_DIR, else the shipped models", async () => {
    expect(await encoderDir({ model: "mnist-ae" }, {})).toBe(shipped);
    expect(await encoderDir({ model: "mnist-ae" }, { LACUNA_MODELS_DIR: DEFAULT_MODELS_DIR })).toBe(
      shipped,
    );
    // looked for under LACUNA_MODELS_DIR, not the shipped folder
    await expect(
      encoderDir({ model: "mnist-ae" }, { LACUNA_MODELS_DIR: "/nonexistent/models" }),
    ).rejects.toThrow('--model must be an installed model such as "mnist-ae"');
  });

  it("takes --model-dir as given, over --model, once it holds a model", async () => {
    expect(await encoderDir({ model: "nope", modelDir: shipped }, {})).toBe(shipped);
    await expect(encoderDir({ model: "mnist-ae", modelDir: "/tmp/enc" }, {})).rejects.toThrow(
      /^--model-dir must be a folder holding a TensorFlow.js layers model \(no readable model.json\)/,
    );
  });

  it("refuses a path or an odd name given as --model, pointing at --model-dir", async () => {
    for (const bad of ["../models/mnist-ae", "/tmp/enc", "Upper", ""]) {
      await expect(encoderDir({ model: bad }, {})).rejects.toThrow(ModelChoiceError);
    }
    await expect(encoderDir({ model: "/tmp/enc" }, {})).rejects.toThrow(/--model-dir takes one/);
  });
});
