import Database from "better-sqlite3";
import { join } from "node:path";
import { makeDirectory } from "@lacuna/io";
import {
  DatabaseError,
  DataDirError,
  isMissingNativeBinary,
  NativeModuleMissingError,
} from "../errors.js";

export { DataDirError };

/** Schema migrations, applied in order; `PRAGMA user_version` records how many ran. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE datasets (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     kind TEXT NOT NULL,
     spec TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     key TEXT NOT NULL,
     kind TEXT NOT NULL,
     input TEXT NOT NULL,
     status TEXT NOT NULL,
     phase TEXT,
     progress REAL NOT NULL DEFAULT 0,
     error_code TEXT,
     error_message TEXT,
     result_key TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX jobs_by_key ON jobs (key);
   CREATE INDEX jobs_by_status ON jobs (status);
   CREATE TABLE coverage_results (
     key TEXT PRIMARY KEY,
     input TEXT NOT NULL,
     summary TEXT NOT NULL,
     indices BLOB NOT NULL,
     radii BLOB NOT NULL,
     uncovered BLOB NOT NULL,
     labels BLOB,
     created_at TEXT NOT NULL
   );`,
  // history pages, newest first
  `CREATE INDEX jobs_by_created ON jobs (created_at, id);
   CREATE INDEX coverage_results_by_created ON coverage_results (created_at, key);`,
];

/**
 * Opens (creating when needed) Lacuna's SQLite database in `dataDir`. WAL journal and one
 * transaction per write: a kill -9 at any moment leaves the last committed state, never a torn one.
 */
export function openDatabase(dataDir: string): Database.Database {
  let db: Database.Database;
  const file = join(dataDir, "lacuna.sqlite");
  try {
    makeDirectory(dataDir);
    db = new Database(file);
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
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    migrate(db, file);
  } catch (error) {
    db.close();
    if (error instanceof DatabaseError) throw error;
    // SQLITE_NOTADB, SQLITE_CORRUPT: a file that is not (or no longer) an SQLite database
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_"))
      throw new DatabaseError(file, `not a usable SQLite database (${code})`, error);
    throw error;
  }
  return db;
}

function migrate(db: Database.Database, file: string): void {
  const applied = db.pragma("user_version", { simple: true }) as number;
  if (applied > MIGRATIONS.length) {
    throw new DatabaseError(
      file,
      `it was written by a newer Lacuna (schema ${applied}, this one knows ${MIGRATIONS.length})`,
    );
  }
  for (let version = applied; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
