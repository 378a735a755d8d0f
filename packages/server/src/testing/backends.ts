/**
 * The store backends a suite runs against: SQLite always, PostgreSQL when its binaries exist
 * (under CI=true always). `describe.each(storeBackends())` runs a suite on both; each `target`
 * is an empty store, and `stop` ends the one PostgreSQL server a test file starts.
 */
import type { StoreTarget } from "../store/database.js";
import { type PostgresServer, postgresUnavailable, startPostgres } from "./postgres.js";

export interface StoreBackend {
  readonly name: "sqlite" | "postgres";
  /** Why this backend cannot run here, or null. */
  readonly skip: string | null;
  /** Where an empty store for one test lives (its SQLite file in `dataDir`). */
  target(dataDir: string): Promise<StoreTarget>;
}

let server: Promise<PostgresServer> | undefined;

/** This file's PostgreSQL server, started on first use. */
export function sharedPostgres(): Promise<PostgresServer> {
  server ??= startPostgres();
  return server;
}

/** Stops this file's PostgreSQL server, if one started (for afterAll). */
export async function stopSharedPostgres(): Promise<void> {
  const started = server;
  server = undefined;
  if (started) await (await started).stop();
}

export function storeBackends(): StoreBackend[] {
  return [
    { name: "sqlite", skip: null, target: (dataDir) => Promise.resolve({ dataDir }) },
    {
      name: "postgres",
      skip: postgresUnavailable(),
      target: async (dataDir) => ({
        dataDir,
        databaseUrl: await (await sharedPostgres()).createDatabase(),
      }),
    },
  ];
}
