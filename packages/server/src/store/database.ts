import Database from "better-sqlite3";
import { join } from "node:path";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { makeDirectory } from "@lacuna/io";
import {
  DatabaseError,
  DataDirError,
  isMissingNativeBinary,
  NativeModuleMissingError,
} from "../errors.js";
import { type ColumnTypes, MIGRATION_COUNT, migrationProvider } from "./migrations.js";
import type { Schema } from "./schema.js";

export { DataDirError };
export type { Schema };

export type StoreDialect = "sqlite" | "postgres";

/** Lacuna's store: one Kysely over SQLite (the default) or PostgreSQL (several servers). */
export interface Store {
  readonly db: Kysely<Schema>;
  readonly dialect: StoreDialect;
  /** The SQLite file, or the PostgreSQL URL without its password (for messages). */
  readonly location: string;
  close(): Promise<void>;
}

/** Where the store lives: `databaseUrl` (postgres://...) when given, else `dataDir`/lacuna.sqlite. */
export interface StoreTarget {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
}

const PG_ADVICE = "check LACUNA_DATABASE_URL and that the PostgreSQL server is up";
/** How long a connection attempt to PostgreSQL may take before the store gives up (ms). */
const PG_CONNECT_TIMEOUT_MS = 5000;

/**
 * Opens Lacuna's store, creating and migrating its schema when needed: PostgreSQL when
 * `target.databaseUrl` is set, else the SQLite file `lacuna.sqlite` in `target.dataDir`.
 * @throws DataDirError (the data directory cannot hold the file), DatabaseError (an unusable
 *   file, an unreachable or refusing PostgreSQL, a schema newer than this Lacuna's),
 *   NativeModuleMissingError (better-sqlite3 not built)
 */
export function openStore(target: StoreTarget): Promise<Store> {
  return target.databaseUrl ? openPostgres(target.databaseUrl) : openSqlite(target.dataDir);
}

/**
 * SQLite in WAL mode, one transaction per write: a kill -9 at any moment leaves the last
 * committed state, never a torn one. `PRAGMA user_version` keeps counting the migrations applied,
 * as earlier Lacunas did, so a database from a newer one is refused before anything runs.
 */
async function openSqlite(dataDir: string): Promise<Store> {
  let raw: Database.Database;
  const file = join(dataDir, "lacuna.sqlite");
  try {
    makeDirectory(dataDir);
    raw = new Database(file);
  } catch (error) {
    if (isMissingNativeBinary(error)) {
      throw new NativeModuleMissingError(
        "better-sqlite3",
        "lacuna serve cannot open its database",
        error,
      );
    }
    throw new DataDirError(dataDir, error);
  }
  try {
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.pragma("busy_timeout = 5000");
    raw.pragma("foreign_keys = ON");
    const applied = raw.pragma("user_version", { simple: true }) as number;
    if (applied > MIGRATION_COUNT) throw newerSchema(file, `schema ${applied}`);
  } catch (error) {
    raw.close();
    throw sqliteError(file, error);
  }
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    await migrate(db, file, { binary: "blob", float: "real" });
    raw.pragma(`user_version = ${MIGRATION_COUNT}`);
  } catch (error) {
    await db.destroy();
    throw sqliteError(file, error);
  }
  return { db, dialect: "sqlite", location: file, close: () => db.destroy() };
}

function sqliteError(file: string, error: unknown): unknown {
  if (error instanceof DatabaseError) return error;
  // SQLITE_NOTADB, SQLITE_CORRUPT: a file that is not (or no longer) an SQLite database
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code.startsWith("SQLITE_"))
    return new DatabaseError(file, `not a usable SQLite database (${code})`, error);
  return error;
}

/**
 * PostgreSQL through a `pg` pool. The first query proves the server answers (within
 * PG_CONNECT_TIMEOUT_MS: a wrong host fails quickly, it never hangs a start).
 */
async function openPostgres(url: string): Promise<Store> {
  const location = redact(url);
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    max: 10,
  });
  // an idle client losing its server must not crash the process; the next query reports it
  pool.on("error", () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`SELECT 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new DatabaseError(location, `cannot connect (${describe(error)})`, error, PG_ADVICE);
  }
  try {
    await migrate(db, location, { binary: "bytea", float: "double precision" });
  } catch (error) {
    await db.destroy();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(location, `cannot migrate (${describe(error)})`, error, PG_ADVICE);
  }
  return { db, dialect: "postgres", location, close: () => db.destroy() };
}

async function migrate(db: Kysely<Schema>, location: string, types: ColumnTypes): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(types) });
  const { error } = await migrator.migrateToLatest();
  if (error === undefined) return;
  // the Migrator refuses a database that ran migrations it does not know: a newer Lacuna's
  const message = describe(error);
  if (/previously executed migration .* is missing/.test(message))
    throw newerSchema(location, "a migration this Lacuna does not know");
  throw error;
}

function newerSchema(location: string, what: string): DatabaseError {
  return new DatabaseError(
    location,
    `it was written by a newer Lacuna (${what}, this one knows ${MIGRATION_COUNT})`,
  );
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0)
    return describe(error.errors[0] as unknown);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message || String(code ?? error.name);
  }
  return String(error);
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the PostgreSQL URL";
  }
}
