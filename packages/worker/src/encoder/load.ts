import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type * as TfCore from "@tensorflow/tfjs-core";
import type * as TfLayers from "@tensorflow/tfjs-layers";
import type { TfRuntime } from "../tfjs/runtime.js";
import { InvalidModelError } from "../pool-errors.js";

export { InvalidModelError };

export interface LoadedEncoder {
  readonly model: TfLayers.LayersModel;
  /** sha256 of model.json and weights.bin: identifies the weights in cache keys. */
  readonly hash: string;
  readonly inputShape: number[];
  readonly dimensions: number;
}

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: TfCore.io.WeightsManifestEntry[] }[];
}

/**
 * Loads a TensorFlow.js layers model (model.json plus its weight files) from a directory, with no
 * network: the files are read and handed to tfjs from memory.
 * @throws InvalidModelError naming the directory and the problem
 */
export async function loadEncoder(runtime: TfRuntime, dir: string): Promise<LoadedEncoder> {
  const tfl = await import("@tensorflow/tfjs-layers");
  const files = await readModelFiles(dir);
  const model = await tfl.loadLayersModel(
    runtime.tf.io.fromMemory({
      modelTopology: files.json.modelTopology,
      weightSpecs: files.json.weightsManifest.flatMap((g) => g.weights),
      weightData: files.weightData.buffer.slice(
        files.weightData.byteOffset,
        files.weightData.byteOffset + files.weightData.byteLength,
      ),
    }),
  );
  const input = model.inputs[0]!.shape.slice(1) as number[];
  const output = model.outputs[0]!.shape;
  return {
    model,
    hash: files.hash,
    inputShape: input,
    dimensions: output[output.length - 1] as number,
  };
}

/** sha256 of a model's model.json and weight files: what embedding caches key on. */
export async function modelHash(dir: string): Promise<string> {
  return (await readModelFiles(dir)).hash;
}

async function readModelFiles(
  dir: string,
): Promise<{ json: ModelJson; weightData: Buffer; hash: string }> {
  let json: ModelJson;
  let jsonText: string;
  try {
    jsonText = await readFile(join(dir, "model.json"), "utf8");
    json = JSON.parse(jsonText) as ModelJson;
  } catch (error) {
    throw new InvalidModelError(
      dir,
      `cannot read model.json: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InvalidModelError(
      dir,
      "model.json is not a TensorFlow.js layers model (modelTopology or weightsManifest missing)",
    );
  }
  const hash = createHash("sha256").update(jsonText);
  const buffers: Buffer[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      try {
        const bytes = await readFile(join(dir, path));
        hash.update(bytes);
        buffers.push(bytes);
      } catch (error) {
        throw new InvalidModelError(
          dir,
          `cannot read weight file ${path}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
  return { json, weightData: Buffer.concat(buffers), hash: hash.digest("hex") };
}

/**
 * Checks, cheaply and before any worker starts, that `dir` holds a readable TensorFlow.js model.json.
 * @throws InvalidModelError naming the directory and the problem
 */
export async function checkModelDir(dir: string): Promise<void> {
  let json: Partial<ModelJson>;
  try {
    json = JSON.parse(await readFile(join(dir, "model.json"), "utf8")) as Partial<ModelJson>;
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? "model.json is not valid JSON" : "no readable model.json";
    throw new InvalidModelError(dir, `${reason} (a TensorFlow.js layers model is expected)`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new InvalidModelError(
      dir,
      "model.json is not a TensorFlow.js layers model (modelTopology or weightsManifest missing)",
    );
  }
}
