/**
 * The store backends a suite runs against: SQLite always, PostgreSQL when its binaries exist
 * (under CI=true always). `describe.each(storeBackends())` runs a suite on both; each `target`
 * is an empty store, and `stop` ends the one PostgreSQL server a test file starts.
 */
import type { StoreTarget } from "../store/database.js";
import {
  connectPostgres,
  type PostgresServer,
  postgresUnavailable,
  startPostgres,
} from "./postgres.js";

export interface StoreBackend {
  readonly name: "sqlite" | "postgres";
  /** Why this backend cannot run here, or null. */
  readonly skip: string | null;
  /** Where an empty store for one test lives (its SQLite file in `dataDir`). */
  target(dataDir: string): Promise<StoreTarget>;
}

let server: Promise<PostgresServer> | undefined;

/** Where a suite-wide PostgreSQL server listens (set by a global setup), read by every test file. */
export const TEST_POSTGRES_PORT = "LACUNA_TEST_POSTGRES_PORT";

/**
 * The suite's PostgreSQL server when a global setup started one (its port in
 * LACUNA_TEST_POSTGRES_PORT), else this file's own, started on first use.
 */
export function sharedPostgres(): Promise<PostgresServer> {
  const port = process.env[TEST_POSTGRES_PORT];
  server ??= port ? Promise.resolve(connectPostgres(Number(port))) : startPostgres();
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
