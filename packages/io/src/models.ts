/**
 * The encoder folder a request names: the one resolver behind the CLI's `--model` / `--model-dir`
 * and GraphQL's `model`, with one error for every way the choice can be wrong.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LacunaError, mustBe } from "@lacuna/core";
import { MODEL_NAME_PATTERN } from "./locations.js";

/**
 * A model choice that names no usable encoder: a name that is not a folder name, no such installed
 * model, or a folder without a TensorFlow.js layers `model.json`. `argument` is the option or
 * GraphQL argument at fault (`--model`, `--model-dir`, `model`); an installed model's message never
 * says where the models directory is (a server's clients need not learn its files).
 */
export class ModelChoiceError extends LacunaError {
  constructor(
    readonly argument: string,
    received: string,
    allowed: string,
  ) {
    super("input", "INVALID_MODEL", mustBe(argument, allowed, received));
  }
}

/** What a request names: an installed model by name, or (the command line) a folder anywhere. */
export interface ModelChoice {
  /** An installed encoder's name: a folder under the models directory. */
  readonly model: string;
  /** An encoder folder anywhere; wins over `model`. */
  readonly modelDir?: string;
}

/**
 * How the caller names its arguments in errors: GraphQL's `model` by default (GraphQL takes no
 * folder), the CLI's `--model` and `--model-dir`.
 */
export interface ModelArguments {
  readonly model: string;
  readonly modelDir?: string;
}

/**
 * The encoder folder of a choice, checked cheaply (its model.json is read and must describe a
 * TensorFlow.js layers model) before any worker starts: `modelDir` as given, else `model` under
 * `modelsDir`. Reads one small file; the weights are read (and hashed) by the worker.
 * @param modelsDir the models directory (io's `defaultModelsDir`, or a server's configured one)
 * @returns the folder's path
 * @throws ModelChoiceError naming the argument at fault: a model name that is a path or not a
 *   folder name, an installed model that is missing or not a layers model, a folder without one
 */
export async function resolveModelDir(
  choice: ModelChoice,
  modelsDir: string,
  names: ModelArguments = { model: "model" },
): Promise<string> {
  if (choice.modelDir !== undefined) {
    const problem = await modelJsonProblem(choice.modelDir);
    if (problem !== null)
      throw new ModelChoiceError(
        names.modelDir ?? "modelDir",
        choice.modelDir,
        `a folder holding a TensorFlow.js layers model (${problem})`,
      );
    return choice.modelDir;
  }
  if (!MODEL_NAME_PATTERN.test(choice.model)) {
    throw new ModelChoiceError(
      names.model,
      choice.model,
      `the name of an installed model such as "mnist-ae" (a folder name, not a path${names.modelDir === undefined ? "" : `: ${names.modelDir} takes one`})`,
    );
  }
  const dir = join(modelsDir, choice.model);
  // the problem stays out of the message: it would describe the server's files to its clients
  if ((await modelJsonProblem(dir)) !== null)
    throw new ModelChoiceError(
      names.model,
      choice.model,
      'an installed model such as "mnist-ae" (a folder under the models directory, LACUNA_MODELS_DIR)',
    );
  return dir;
}

/** Why `dir` holds no TensorFlow.js layers model.json, or null when it does. */
async function modelJsonProblem(dir: string): Promise<string | null> {
  let json: { modelTopology?: unknown; weightsManifest?: unknown };
  try {
    json = JSON.parse(await readFile(join(dir, "model.json"), "utf8")) as typeof json;
  } catch (error) {
    return error instanceof SyntaxError ? "model.json is not valid JSON" : "no readable model.json";
  }
  if (json === null || typeof json !== "object" || !json.modelTopology)
    return "model.json has no modelTopology";
  if (!Array.isArray(json.weightsManifest)) return "model.json has no weightsManifest";
  return null;
}
