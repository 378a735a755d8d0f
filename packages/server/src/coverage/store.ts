import type Database from "better-sqlite3";
import type { Cursor } from "../graphql/connection.js";
import type { NormalizedCoverageInput } from "./input.js";

/** A finished coverage computation, as stored and served. */
export interface CoverageRecord {
  readonly key: string;
  readonly input: NormalizedCoverageInput;
  readonly coverageRadius: number;
  /** Samples and dimensions of the embeddings. */
  readonly count: number;
  readonly dimensions: number;
  /** The encoder used, or null for an embeddings dataset. */
  readonly model: string | null;
  /** Where the embeddings came from and where the radii were computed. */
  readonly embeddingBackend: string;
  readonly backend: string;
  readonly seconds: number;
  readonly createdAt: string;
  readonly classNames: readonly string[];
  /** Dataset index of each row. */
  readonly indices: Int32Array;
  readonly labels: Int32Array | null;
  readonly radii: Float64Array;
  /** Row positions of the uncovered samples: adaptive by decreasing radius, naive in index order. */
  readonly uncovered: Int32Array;
}

type Summary = Pick<
  CoverageRecord,
  | "coverageRadius"
  | "count"
  | "dimensions"
  | "model"
  | "embeddingBackend"
  | "backend"
  | "seconds"
  | "classNames"
>;

interface Row {
  key: string;
  input: string;
  summary: string;
  indices: Buffer;
  radii: Buffer;
  uncovered: Buffer;
  labels: Buffer | null;
  created_at: string;
}

const CACHE_ENTRIES = 64;

function bytes(array: Int32Array | Float64Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Copies a blob into an aligned typed array (SQLite's buffers need not be aligned). */
function int32s(blob: Buffer): Int32Array {
  const out = new Int32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

function float64s(blob: Buffer): Float64Array {
  const out = new Float64Array(blob.byteLength / 8);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/** Coverage results in SQLite, with the most recent few decoded in memory. */
export class CoverageStore {
  private readonly recent = new Map<string, CoverageRecord>();

  constructor(private readonly db: Database.Database) {}

  find(key: string): CoverageRecord | null {
    const hit = this.recent.get(key);
    if (hit) {
      this.recent.delete(key);
      this.recent.set(key, hit);
      return hit;
    }
    const row = this.db.prepare("SELECT * FROM coverage_results WHERE key = ?").get(key) as
      Row | undefined;
    if (!row) return null;
    const summary = JSON.parse(row.summary) as Summary;
    const record: CoverageRecord = {
      ...summary,
      key: row.key,
      input: JSON.parse(row.input) as NormalizedCoverageInput,
      createdAt: row.created_at,
      indices: int32s(row.indices),
      radii: float64s(row.radii),
      uncovered: int32s(row.uncovered),
      labels: row.labels ? int32s(row.labels) : null,
    };
    this.remember(record);
    return record;
  }

  /**
   * Stored results newest first, `limit` of them from after `after` (exclusive), of one dataset
   * when `datasetId` is given.
   */
  list(limit: number, after: Cursor | null, datasetId: string | null): CoverageRecord[] {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (after) {
      where.push("(created_at, key) < (?, ?)");
      values.push(after.createdAt, after.id);
    }
    if (datasetId !== null) {
      where.push("json_extract(input, '$.datasetId') = ?");
      values.push(datasetId);
    }
    const keys = this.db
      .prepare(
        `SELECT key FROM coverage_results ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY created_at DESC, key DESC LIMIT ?`,
      )
      .pluck()
      .all(...values, limit) as string[];
    return keys.flatMap((key) => this.find(key) ?? []);
  }

  /** Deletes a stored result. @returns whether there was one */
  delete(key: string): boolean {
    this.recent.delete(key);
    return this.db.prepare("DELETE FROM coverage_results WHERE key = ?").run(key).changes > 0;
  }

  /** Saves a result (one statement: atomic). */
  save(record: CoverageRecord): void {
    const summary: Summary = {
      coverageRadius: record.coverageRadius,
      count: record.count,
      dimensions: record.dimensions,
      model: record.model,
      embeddingBackend: record.embeddingBackend,
      backend: record.backend,
      seconds: record.seconds,
      classNames: record.classNames,
    };
    this.db
      .prepare(
        `INSERT OR REPLACE INTO coverage_results (key, input, summary, indices, radii, uncovered, labels, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.key,
        JSON.stringify(record.input),
        JSON.stringify(summary),
        bytes(record.indices),
        bytes(record.radii),
        bytes(record.uncovered),
        record.labels ? bytes(record.labels) : null,
        record.createdAt,
      );
    this.remember(record);
  }

  private remember(record: CoverageRecord): void {
    this.recent.set(record.key, record);
    if (this.recent.size > CACHE_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
  }
}
