import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { FileNotFoundError, InvalidFileError } from "../errors.js";
import { readNpyFile } from "../formats/npy-file.js";

/** Largest integer label accepted: class names run from 0 to the largest label. */
export const MAX_LABEL = 1_000_000;

/** One class index per sample, and the class names those indices stand for. */
export interface Labels {
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
}

/**
 * Reads labels for embeddings: a 1-D integer .npy (class names are the integers, 0 to max), or a
 * JSON array of integers, or of strings (class names sorted, so the same names always get the same
 * indices). `n`, when given, must match the count.
 * @throws FileNotFoundError, InvalidFileError naming the file and the problem
 */
export async function readLabels(path: string, n?: number): Promise<Labels> {
  const result =
    extname(path).toLowerCase() === ".json"
      ? await readJsonLabels(path)
      : await readNpyLabels(path);
  if (n !== undefined && result.labels.length !== n) {
    throw new InvalidFileError(path, `${result.labels.length} labels for ${n} embeddings`);
  }
  return result;
}

async function readNpyLabels(path: string): Promise<Labels> {
  const array = await readNpyFile(path);
  if (array.shape.length !== 1) {
    throw new InvalidFileError(
      path,
      `labels must be a 1-D array; the file holds shape (${array.shape.join(", ")})`,
    );
  }
  if (array.dtype.startsWith("float"))
    throw new InvalidFileError(path, `labels must be integers; the file holds ${array.dtype}`);
  if (array.data.length === 0) throw new InvalidFileError(path, "holds no labels");
  const labels = new Int32Array(array.data.length);
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    // int64 files decode to BigInt: compare as numbers
    const v = Number(array.data[i]!);
    if (!(v >= 0 && v <= MAX_LABEL))
      throw new InvalidFileError(path, `label ${v} at index ${i} is outside 0 to ${MAX_LABEL}`);
    labels[i] = v;
    if (v > max) max = v;
  }
  return { labels, classNames: Array.from({ length: max + 1 }, (_, c) => String(c)) };
}

async function readJsonLabels(path: string): Promise<Labels> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new InvalidFileError(path, `not valid JSON: ${error.message}`);
    throw new FileNotFoundError(path, "no such file");
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new InvalidFileError(path, "labels must be a non-empty JSON array");
  if (parsed.every((v) => Number.isInteger(v) && (v as number) >= 0)) {
    const labels = new Int32Array(parsed.length);
    let max = 0;
    for (let i = 0; i < parsed.length; i++) {
      const v = parsed[i] as number;
      // class names are 0 .. max: a huge label would allocate that many names
      if (v > MAX_LABEL)
        throw new InvalidFileError(path, `label ${v} at index ${i} is outside 0 to ${MAX_LABEL}`);
      labels[i] = v;
      if (v > max) max = v;
    }
    return { labels, classNames: Array.from({ length: max + 1 }, (_, c) => String(c)) };
  }
  if (parsed.every((v) => typeof v === "string")) {
    const classNames = [...new Set(parsed as string[])].sort();
    const index = new Map(classNames.map((name, i) => [name, i]));
    return { labels: Int32Array.from(parsed as string[], (name) => index.get(name)!), classNames };
  }
  const bad = parsed.findIndex((v) => !(typeof v === "string" || (Number.isInteger(v) && v >= 0)));
  throw new InvalidFileError(
    path,
    bad >= 0
      ? `labels must be all non-negative integers or all strings; element ${bad} is ${JSON.stringify(parsed[bad])}`
      : "labels must be all non-negative integers or all strings; these mix both",
  );
}
