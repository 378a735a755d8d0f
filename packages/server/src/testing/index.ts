/** Test helpers for Lacuna's own suites (`@lacuna/server/testing`): a real server process, an in-process harness. */
export { type ServerProcess, startServerProcess } from "./process.js";
export { type Harness, createHarness } from "./harness.js";
export {
  type PostgresServer,
  postgresBinaries,
  postgresUnavailable,
  startPostgres,
} from "./postgres.js";
export {
  type StoreBackend,
  sharedPostgres,
  stopSharedPostgres,
  storeBackends,
} from "./backends.js";
