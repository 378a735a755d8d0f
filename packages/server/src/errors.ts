/** Codes of the errors the server side adds to core's (files and formats). */
export const ServerErrorCodes = {
  INVALID_FILE: "INVALID_FILE",
  FILE_NOT_FOUND: "FILE_NOT_FOUND",
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
