import { sql } from "kysely";
import type { Cursor } from "../graphql/connection.js";
import type { Store } from "../store/database.js";
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

const CACHE_ENTRIES = 64;

function bytes(array: Int32Array | Float64Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Copies a blob into an aligned typed array (the drivers' buffers need not be aligned). */
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

/** Coverage results in the store (SQLite or PostgreSQL), with the most recent few decoded in memory. */
export class CoverageStore {
  private readonly recent = new Map<string, CoverageRecord>();

  constructor(private readonly store: Store) {}

  /** The stored result for `key`, or null. */
  async find(key: string): Promise<CoverageRecord | null> {
    const hit = this.recent.get(key);
    // another server may have deleted or replaced it: on a shared store, ask (a key, no blobs)
    if (hit && (this.store.dialect === "sqlite" || (await this.stillStored(hit)))) {
      this.recent.delete(key);
      this.recent.set(key, hit);
      return hit;
    }
    const row = await this.store.db
      .selectFrom("coverage_results")
      .selectAll()
      .where("key", "=", key)
      .executeTakeFirst();
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
  async list(
    limit: number,
    after: Cursor | null,
    datasetId: string | null,
  ): Promise<CoverageRecord[]> {
    // the one place the dialects differ in a query: reading a field of the JSON input
    const dataset =
      this.store.dialect === "postgres"
        ? sql<string>`(input::json ->> 'datasetId')`
        : sql<string>`json_extract(input, '$.datasetId')`;
    let query = this.store.db
      .selectFrom("coverage_results")
      .select("key")
      .orderBy("created_at", "desc")
      .orderBy("key", "desc")
      .limit(limit);
    if (after)
      query = query.where((eb) =>
        eb(eb.refTuple("created_at", "key"), "<", eb.tuple(after.createdAt, after.id)),
      );
    if (datasetId !== null) query = query.where(dataset, "=", datasetId);
    const keys = await query.execute();
    const records = await Promise.all(keys.map(({ key }) => this.find(key)));
    return records.filter((record) => record !== null);
  }

  /** Deletes a stored result. @returns whether there was one */
  async delete(key: string): Promise<boolean> {
    this.recent.delete(key);
    const { numDeletedRows } = await this.store.db
      .deleteFrom("coverage_results")
      .where("key", "=", key)
      .executeTakeFirst();
    return numDeletedRows > 0n;
  }

  /** Saves a result, replacing one under the same key (one statement: atomic). */
  async save(record: CoverageRecord): Promise<void> {
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
    const stored = {
      input: JSON.stringify(record.input),
      summary: JSON.stringify(summary),
      indices: bytes(record.indices),
      radii: bytes(record.radii),
      uncovered: bytes(record.uncovered),
      labels: record.labels ? bytes(record.labels) : null,
      created_at: record.createdAt,
    };
    await this.store.db
      .insertInto("coverage_results")
      .values({ key: record.key, ...stored })
      .onConflict((oc) => oc.column("key").doUpdateSet(stored))
      .execute();
    this.remember(record);
  }

  private async stillStored(record: CoverageRecord): Promise<boolean> {
    const row = await this.store.db
      .selectFrom("coverage_results")
      .select("created_at")
      .where("key", "=", record.key)
      .executeTakeFirst();
    if (row?.created_at === record.createdAt) return true;
    this.recent.delete(record.key);
    return false;
  }

  private remember(record: CoverageRecord): void {
    this.recent.set(record.key, record);
    if (this.recent.size > CACHE_ENTRIES) this.recent.delete(this.recent.keys().next().value!);
  }
}
