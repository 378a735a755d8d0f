import { extname } from "node:path";
import { InvalidFileError } from "../errors.js";
import { readNpyFile } from "../formats/npy-file.js";
import { readRegularText, requireRegularFile } from "../formats/open-regular.js";

/** Largest integer label accepted (labels fit an Int32Array; the classes are those present). */
export const MAX_LABEL = 1_000_000;

/** One class index per sample, and the class names those indices stand for. */
export interface Labels {
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
}

/**
 * Reads labels for embeddings: a 1-D integer .npy (one class per distinct integer, named by it), or a
 * JSON array of integers, or of strings (class names sorted, so the same names always get the same
 * indices). `n`, when given, must match the count.
 * @throws FileNotFoundError (missing or not a regular file), InvalidFileError naming the file and the problem
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
  await requireRegularFile(path);
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
  const values = new Int32Array(array.data.length);
  for (let i = 0; i < values.length; i++) {
    // int64 files decode to BigInt: compare as numbers
    const v = Number(array.data[i]!);
    if (!(v >= 0 && v <= MAX_LABEL))
      throw new InvalidFileError(path, `label ${v} at index ${i} is outside 0 to ${MAX_LABEL}`);
    values[i] = v;
  }
  return classesPresent(values);
}

/**
 * Integer labels as classes: one class per distinct label present, in increasing order, named by
 * the label ("3"). A label of 1 000 000 on a few rows makes one class, not a million.
 */
export function classesPresent(values: Int32Array): Labels {
  const distinct = Int32Array.from(new Set(values)).sort();
  const index = new Map<number, number>();
  for (let c = 0; c < distinct.length; c++) index.set(distinct[c]!, c);
  const labels = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) labels[i] = index.get(values[i]!)!;
  return { labels, classNames: Array.from(distinct, String) };
}

/** A JSON value in a message: primitives as they are, containers by kind (never serialised whole). */
function describeJson(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value !== null && typeof value === "object") return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

async function readJsonLabels(path: string): Promise<Labels> {
  const text = await readRegularText(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidFileError(path, `not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new InvalidFileError(path, "labels must be a non-empty JSON array");
  if (parsed.every((v) => Number.isInteger(v) && (v as number) >= 0)) {
    const values = new Int32Array(parsed.length);
    for (let i = 0; i < parsed.length; i++) {
      const v = parsed[i] as number;
      if (v > MAX_LABEL)
        throw new InvalidFileError(path, `label ${v} at index ${i} is outside 0 to ${MAX_LABEL}`);
      values[i] = v;
    }
    return classesPresent(values);
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
      ? `labels must be all non-negative integers or all strings; element ${bad} is ${describeJson(parsed[bad])}`
      : "labels must be all non-negative integers or all strings; these mix both",
  );
}
