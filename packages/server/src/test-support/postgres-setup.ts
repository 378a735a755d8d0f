/**
 * Vitest global setup: one PostgreSQL server for the whole suite (each test file creating its own
 * databases on it), instead of one per file: initdb and a start cost seconds of a busy machine.
 * Where PostgreSQL cannot run here, nothing starts and the PostgreSQL tests skip with the reason.
 */
import { TEST_POSTGRES_PORT } from "../testing/backends.js";
import { postgresUnavailable, startPostgres } from "../testing/postgres.js";

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (postgresUnavailable() !== null) return undefined;
  const server = await startPostgres();
  // the test workers start after this and inherit the variable
  process.env[TEST_POSTGRES_PORT] = String(server.port);
  return () => server.stop();
}
