/**
 * Lacuna's schema migrations, one list for SQLite and PostgreSQL, run by Kysely's Migrator (it
 * records them in `kysely_migration` and, on PostgreSQL, holds an advisory lock while it runs, so
 * two servers starting together migrate once). The first two are the SQLite schema versions 1
 * and 2 of earlier Lacunas, written with IF NOT EXISTS so such a database adopts the Migrator
 * without change.
 */
import type { Kysely, Migration, MigrationProvider } from "kysely";

/** Column types that differ between the two dialects. */
export interface ColumnTypes {
  readonly binary: "blob" | "bytea";
  /** SQLite's REAL is a double; PostgreSQL's is a float4, so it gets double precision. */
  readonly float: "real" | "double precision";
}

// the Migrator hands migrations an untyped database: the schema is what they create
type AnyDb = Kysely<unknown>;

function migrations(types: ColumnTypes): Record<string, Migration> {
  return {
    "0001_initial": {
      async up(db: AnyDb) {
        await db.schema
          .createTable("datasets")
          .ifNotExists()
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("spec", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("jobs")
          .ifNotExists()
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("key", "text", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("input", "text", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("phase", "text")
          .addColumn("progress", types.float, (c) => c.notNull().defaultTo(0))
          .addColumn("error_code", "text")
          .addColumn("error_message", "text")
          .addColumn("result_key", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("updated_at", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("jobs_by_key").ifNotExists().on("jobs").column("key").execute();
        await db.schema
          .createIndex("jobs_by_status")
          .ifNotExists()
          .on("jobs")
          .column("status")
          .execute();
        await db.schema
          .createTable("coverage_results")
          .ifNotExists()
          .addColumn("key", "text", (c) => c.primaryKey())
          .addColumn("input", "text", (c) => c.notNull())
          .addColumn("summary", "text", (c) => c.notNull())
          .addColumn("indices", types.binary, (c) => c.notNull())
          .addColumn("radii", types.binary, (c) => c.notNull())
          .addColumn("uncovered", types.binary, (c) => c.notNull())
          .addColumn("labels", types.binary)
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
      },
    },
    // history pages, newest first
    "0002_history_indexes": {
      async up(db: AnyDb) {
        await db.schema
          .createIndex("jobs_by_created")
          .ifNotExists()
          .on("jobs")
          .columns(["created_at", "id"])
          .execute();
        await db.schema
          .createIndex("coverage_results_by_created")
          .ifNotExists()
          .on("coverage_results")
          .columns(["created_at", "key"])
          .execute();
      },
    },
    // several servers on one database: who runs a job, until when, and a cancel from another one
    "0003_job_leases": {
      async up(db: AnyDb) {
        // one column per statement: SQLite's ALTER TABLE adds one at a time
        await db.schema.alterTable("jobs").addColumn("owner", "text").execute();
        await db.schema.alterTable("jobs").addColumn("lease_until", "text").execute();
        await db.schema
          .alterTable("jobs")
          .addColumn("cancel_requested", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
  };
}

/** How many migrations this Lacuna knows (SQLite's `user_version` records it too). */
export const MIGRATION_COUNT = 3;

/** The migrations for one dialect, as Kysely's Migrator reads them. */
export function migrationProvider(types: ColumnTypes): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(types)) };
}
