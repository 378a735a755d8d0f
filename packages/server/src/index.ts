/**
 * @lacuna/server: the GraphQL server. The `lacuna` command (`@lacuna/cli`) loads it lazily for
 * `serve` (start, configuration) and `datasets` (the registry of registered datasets); its SDL
 * files (each domain's `schema.graphql`) are what the client's code generator reads.
 */
export { type ServerConfig, ConfigError, loadConfig } from "./config.js";
export { type RunningServer, VERSION, startServer } from "./server.js";
export {
  type DatasetRecord,
  type LoadedDataset,
  DatasetService,
  datasetClasses,
} from "./datasets/service.js";
export { openStore, type Store, type StoreTarget } from "./store/database.js";
export {
  DataDirError,
  InvalidArgumentError,
  NativeModuleMissingError,
  UnauthenticatedError,
} from "./errors.js";
export type { RadiiSource } from "./coverage/service.js";
