import { InvalidParameterError } from "@lacuna/core";
import { DEFAULT_MODELS_DIR } from "@lacuna/io";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encoderDir } from "./dataset-embeddings.js";

describe("encoderDir: --model is a name as in GraphQL, --model-dir a folder", () => {
  it("finds a model name under LACUNA_MODELS_DIR, else the repository's models/", () => {
    expect(encoderDir({ model: "mnist-ae" }, {})).toBe(join(DEFAULT_MODELS_DIR, "mnist-ae"));
    expect(encoderDir({ model: "mine" }, { LACUNA_MODELS_DIR: "/srv/models" })).toBe(
      "/srv/models/mine",
    );
  });

  it("takes --model-dir as given, over --model", () => {
    expect(encoderDir({ model: "mnist-ae", modelDir: "/tmp/enc" }, {})).toBe("/tmp/enc");
  });

  it("refuses a path or an odd name given as --model, pointing at --model-dir", () => {
    for (const bad of ["../models/mnist-ae", "/tmp/enc", "Upper", ""]) {
      expect(() => encoderDir({ model: bad }, {})).toThrow(InvalidParameterError);
    }
    expect(() => encoderDir({ model: "/tmp/enc" }, {})).toThrow(/--model-dir takes a path/);
  });
});
