import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
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
  let model: TfLayers.LayersModel;
  try {
    model = await tfl.loadLayersModel(
      runtime.tf.io.fromMemory({
        modelTopology: files.json.modelTopology,
        weightSpecs: files.json.weightsManifest.flatMap((g) => g.weights),
        weightData: files.weightData.buffer.slice(
          files.weightData.byteOffset,
          files.weightData.byteOffset + files.weightData.byteLength,
        ),
      }),
    );
  } catch (error) {
    // weights that do not fit the layers (shapes, names): the model's fault, not Lacuna's
    throw new InvalidModelError(
      dir,
      `the weights do not fit the model: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
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
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights))
      throw new InvalidModelError(dir, "each weightsManifest entry needs paths and weights arrays");
    for (const path of group.paths) {
      const file = await weightFile(dir, path);
      try {
        const bytes = await readFile(file);
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
  const weightData = Buffer.concat(buffers);
  const expected = expectedWeightBytes(json.weightsManifest.flatMap((g) => g.weights));
  if (expected !== null && expected !== weightData.length) {
    throw new InvalidModelError(
      dir,
      `the weight shapes in model.json need ${expected} bytes; the weight files hold ${weightData.length}`,
    );
  }
  return { json, weightData, hash: hash.digest("hex") };
}

const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

/** Bytes the weight specs describe; null where quantized or of a dtype not counted here. */
function expectedWeightBytes(specs: readonly TfCore.io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const spec of specs) {
    const bytes = DTYPE_BYTES[spec.dtype];
    if (bytes === undefined || spec.quantization) return null;
    if (!Array.isArray(spec.shape) || !spec.shape.every((v) => Number.isSafeInteger(v) && v >= 0))
      return -1; // no file can match a shape that is not a list of sizes
    total += spec.shape.reduce((a, b) => a * b, 1) * bytes;
  }
  return total;
}

/**
 * A weight file's real path, confined to the model folder: absolute paths, `..` and links that
 * lead outside are refused, as are FIFOs and other non-regular files.
 * @throws InvalidModelError
 */
async function weightFile(dir: string, path: unknown): Promise<string> {
  if (typeof path !== "string" || path === "" || path.includes("\0") || isAbsolute(path))
    throw new InvalidModelError(
      dir,
      `weight path ${JSON.stringify(path)} must be relative to the model folder`,
    );
  let real: string;
  let realDir: string;
  try {
    [real, realDir] = await Promise.all([realpath(resolve(dir, path)), realpath(dir)]);
  } catch (error) {
    throw new InvalidModelError(
      dir,
      `cannot read weight file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const rel = relative(realDir, real);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new InvalidModelError(
      dir,
      `weight path ${JSON.stringify(path)} leads outside the model folder`,
    );
  if (!(await stat(real)).isFile())
    throw new InvalidModelError(dir, `weight file ${path} is not a regular file`);
  return real;
}
