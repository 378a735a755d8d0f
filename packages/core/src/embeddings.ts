import { InvalidEmbeddingsError, mustBe, NonFiniteValueError } from "./errors.js";
import { SCAN_CHUNK } from "./unit-interval.js";

/** Row-major n x d embeddings. `data[i * d + j]` is row i, column j. */
export interface Embeddings {
  readonly data: Float32Array | Float64Array;
  readonly n: number;
  readonly d: number;
}

/**
 * Wraps a flat row-major buffer as n x d embeddings after checking its shape and that every
 * value is finite. The buffer is not copied.
 * @throws InvalidEmbeddingsError when n or d is not a positive integer or the length is not n * d
 * @throws NonFiniteValueError naming the first NaN or infinite value's row and column
 */
export function createEmbeddings(
  data: Float32Array | Float64Array,
  n: number,
  d: number,
): Embeddings {
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new InvalidEmbeddingsError(
      mustBe("embeddings data", "a Float32Array or Float64Array", data),
    );
  }
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InvalidEmbeddingsError(`embeddings need at least one row; received n = ${n}`);
  }
  if (!Number.isSafeInteger(d) || d < 1) {
    throw new InvalidEmbeddingsError(`embeddings need at least one column; received d = ${d}`);
  }
  if (data.length !== n * d) {
    throw new InvalidEmbeddingsError(
      `embeddings data has ${data.length} values, but n x d = ${n} x ${d} needs ${n * d}`,
    );
  }
  assertFinite(data, d);
  return { data, n, d };
}

/**
 * Builds Float64 embeddings from an array of rows, refusing ragged or empty input.
 * @throws InvalidEmbeddingsError when rows is not a non-empty array of equal-length, non-empty rows
 * @throws NonFiniteValueError for NaN, infinite or non-numeric values
 */
export function embeddingsFromRows(rows: readonly (readonly number[])[]): Embeddings {
  if (!Array.isArray(rows)) {
    throw new InvalidEmbeddingsError("embeddings must be a 2-D array (an array of rows)");
  }
  const n = rows.length;
  if (n === 0)
    throw new InvalidEmbeddingsError("embeddings need at least one row; received 0 rows");
  const first: unknown = rows[0];
  if (!Array.isArray(first)) {
    throw new InvalidEmbeddingsError("embeddings must be 2-D: row 0 is not an array");
  }
  const d = first.length;
  if (d === 0)
    throw new InvalidEmbeddingsError("embeddings need at least one column; row 0 is empty");
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row: unknown = rows[i];
    if (!Array.isArray(row)) {
      throw new InvalidEmbeddingsError(`embeddings must be 2-D: row ${i} is not an array`);
    }
    if (row.length !== d) {
      throw new InvalidEmbeddingsError(
        `embeddings are ragged: row 0 has ${d} values but row ${i} has ${row.length}`,
      );
    }
    for (let j = 0; j < d; j++) {
      const v: unknown = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new NonFiniteValueError(i, j, typeof v === "number" ? v : Number.NaN);
      }
      data[i * d + j] = v;
    }
  }
  return { data, n, d };
}

/** Throws NonFiniteValueError at the first NaN or infinity, naming its row and column. */
export function assertFinite(data: Float32Array | Float64Array, d: number): void {
  // in chunks (unit-interval.ts's SCAN_CHUNK says why); a chunk with a non-finite value is
  // scanned again for the first one
  for (let a = 0; a < data.length; a += SCAN_CHUNK) {
    const b = Math.min(data.length, a + SCAN_CHUNK);
    if (chunkFinite(data, a, b)) continue;
    for (let p = a; p < b; p++) {
      const v = data[p] as number;
      // v - v is NaN exactly for NaN and +-Infinity
      if (v - v !== 0) throw new NonFiniteValueError(Math.floor(p / d), p % d, v);
    }
  }
}

/** Whether values [a, b) are all finite: v * 0 is (+-)0 for them, NaN for NaN and +-Infinity. */
function chunkFinite(data: Float32Array | Float64Array, a: number, b: number): boolean {
  let sum = 0;
  for (let p = a; p < b; p++) sum += data[p]! * 0;
  return sum === 0;
}

/** The data as Float64Array: the same buffer when it already is one, else a widened copy. */
export function toFloat64(data: Float32Array | Float64Array): Float64Array {
  return data instanceof Float64Array ? data : Float64Array.from(data);
}
