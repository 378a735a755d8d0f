/** The server's own errors, in core's error model (`LacunaError`: a kind and a stable code). */
import { LacunaError, mustBe } from "@lacuna/core";
import { describeFsError } from "@lacuna/io";

/** A request argument outside its allowed range; `argument` is its path in the request. */
export class InvalidArgumentError extends LacunaError {
  constructor(
    readonly argument: string,
    allowed: string,
    received: unknown,
  ) {
    super("input", "INVALID_ARGUMENT", mustBe(argument, allowed, received));
  }
}

/** A mutation without the API key the server was started with. */
export class UnauthenticatedError extends LacunaError {
  constructor() {
    super(
      "unauthenticated",
      "UNAUTHENTICATED",
      "this operation needs the API key: send it as 'Authorization: Bearer <key>'",
    );
  }
}

/** The data directory cannot hold the database (not a folder, not writable, full disk). */
export class DataDirError extends LacunaError {
  constructor(
    readonly dataDir: string,
    cause: unknown,
  ) {
    super(
      "unavailable",
      "DATA_DIR_UNUSABLE",
      `cannot use ${dataDir} as Lacuna's data directory: ${describeFsError(cause)}; set LACUNA_DATA_DIR or --data-dir to a writable folder`,
      { cause },
    );
  }
}

/** A configuration value that cannot be used; the message names the variable and what is allowed. */
export class ConfigError extends LacunaError {
  constructor(message: string) {
    super("input", "INVALID_CONFIG", message);
  }
}

/**
 * The store is not one this Lacuna can use: lacuna.sqlite damaged, not SQLite or from a newer
 * version; a PostgreSQL server unreachable, refusing the login or holding a newer schema.
 */
export class DatabaseError extends LacunaError {
  constructor(
    readonly file: string,
    problem: string,
    cause?: unknown,
    advice = "move it aside (Lacuna starts a new one) or use another --data-dir",
  ) {
    super("unavailable", "DATABASE_UNUSABLE", `cannot use ${file}: ${problem}; ${advice}`, {
      cause,
    });
  }
}

/**
 * A registered dataset whose files are missing or unreadable now (moved, deleted, damaged). The
 * message names the dataset, never the server's paths; the cause (with them) goes to the log.
 */
export class DatasetUnavailableError extends LacunaError {
  constructor(
    readonly datasetId: string,
    cause: unknown,
  ) {
    super(
      "not-found",
      "DATASET_UNAVAILABLE",
      `dataset "${datasetId}" cannot be read: its files are missing or changed since it was registered; register them again`,
      { cause },
    );
  }
}

/**
 * A native addon loaded without its compiled binary: npm 11 runs a dependency's install script
 * only once the project approves it, and without that script better-sqlite3 has no `.node` file.
 * The message names the one step that fixes it.
 */
export class NativeModuleMissingError extends LacunaError {
  constructor(
    readonly moduleName: string,
    purpose: string,
    cause: unknown,
  ) {
    super(
      "unavailable",
      "NATIVE_MODULE_MISSING",
      `${moduleName} is installed without its compiled binary, so ${purpose}: npm did not run its install script. ` +
        `In your project run \`npm approve-scripts ${moduleName}\` and then \`npm rebuild ${moduleName}\` ` +
        "(README, Install); `lacuna coverage` works without it",
      { cause },
    );
  }
}

/**
 * Whether `error` is Node failing to find or load a native addon's binary (the `bindings`
 * package's "Could not locate the bindings file", or a `.node` file that will not load), rather
 * than the addon's own error.
 */
export function isMissingNativeBinary(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ERR_DLOPEN_FAILED" || /Could not locate the bindings file/.test(error.message);
}
