import { describeFsError } from "./formats/fs-errors.js";
/** Codes of the errors the server side adds to core's (files and formats). */
export const ServerErrorCodes = {
  INVALID_FILE: "INVALID_FILE",
  FILE_NOT_FOUND: "FILE_NOT_FOUND",
  NOT_FOUND: "NOT_FOUND",
  PATH_OUTSIDE_ROOTS: "PATH_OUTSIDE_ROOTS",
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  UNAUTHENTICATED: "UNAUTHENTICATED",
} as const;

export type ServerErrorCode = (typeof ServerErrorCodes)[keyof typeof ServerErrorCodes];

/** A file that cannot be read as what it claims to be; the message names the file and the problem. */
export class InvalidFileError extends Error {
  readonly code: ServerErrorCode = ServerErrorCodes.INVALID_FILE;
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "InvalidFileError";
  }
}

/** A path that does not exist or is not a readable regular file. */
export class FileNotFoundError extends Error {
  readonly code: ServerErrorCode = ServerErrorCodes.FILE_NOT_FOUND;
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "FileNotFoundError";
  }
}

/** An unknown dataset, job or sample; `what` names the kind, `id` the value asked for. */
export class NotFoundError extends Error {
  readonly code: ServerErrorCode = ServerErrorCodes.NOT_FOUND;
  constructor(
    readonly what: string,
    readonly id: string,
    hint = "",
  ) {
    super(`no ${what} "${id}"${hint ? `; ${hint}` : ""}`);
    this.name = "NotFoundError";
  }
}

/** A path that resolves (through `..` or symbolic links) outside every configured data root. */
export class PathOutsideRootsError extends Error {
  readonly code: ServerErrorCode = ServerErrorCodes.PATH_OUTSIDE_ROOTS;
  constructor(
    readonly path: string,
    roots: readonly string[],
  ) {
    super(
      // the roots stay on the server: a client learns only that the path is refused
      `${path} is outside the data roots (${roots.length} configured); an operator can add one with LACUNA_DATA_ROOTS`,
    );
    this.name = "PathOutsideRootsError";
  }
}

/** A request argument outside its allowed range; `argument` is its path in the request. */
export class InvalidArgumentError extends Error {
  readonly code: ServerErrorCode = ServerErrorCodes.INVALID_ARGUMENT;
  constructor(
    readonly argument: string,
    allowed: string,
    received: unknown,
  ) {
    super(
      `${argument} must be ${allowed}; received ${JSON.stringify(received) ?? String(received)}`,
    );
    this.name = "InvalidArgumentError";
  }
}

/** A mutation without the API key the server was started with. */
export class UnauthenticatedError extends Error {
  readonly code: ServerErrorCode = ServerErrorCodes.UNAUTHENTICATED;
  constructor() {
    super("this operation needs the API key: send it as 'Authorization: Bearer <key>'");
    this.name = "UnauthenticatedError";
  }
}

/** The data directory cannot hold the database (not a folder, not writable, full disk). */
export class DataDirError extends Error {
  readonly code = "DATA_DIR_UNUSABLE";
  constructor(
    readonly dataDir: string,
    cause: unknown,
  ) {
    super(
      `cannot use ${dataDir} as Lacuna's data directory: ${describeFsError(cause)}; set LACUNA_DATA_DIR or --data-dir to a writable folder`,
      { cause },
    );
    this.name = "DataDirError";
  }
}
