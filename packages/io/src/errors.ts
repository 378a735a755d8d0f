/** The errors of files and datasets, in core's error model (`LacunaError`: a kind and a stable code). */
import { LacunaError } from "@lacuna/core";

/** A file that cannot be read as what it claims to be; the message names the file and the problem. */
export class InvalidFileError extends LacunaError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super("input", "INVALID_FILE", `${file}: ${problem}`);
  }
}

/** A path that does not exist or is not a readable regular file. */
export class FileNotFoundError extends LacunaError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super("input", "FILE_NOT_FOUND", `${file}: ${problem}`);
  }
}

/** A file that cannot be written (a missing or unwritable folder, a full disk); nothing partial remains. */
export class FileWriteError extends LacunaError {
  constructor(
    readonly file: string,
    problem: string,
    cause?: unknown,
  ) {
    super("input", "FILE_WRITE_FAILED", `${file}: cannot write: ${problem}`, { cause });
  }
}

/** A path that resolves (through `..` or symbolic links) outside every configured data root. */
export class PathOutsideRootsError extends LacunaError {
  constructor(
    readonly path: string,
    roots: readonly string[],
  ) {
    super(
      "input",
      "PATH_OUTSIDE_ROOTS",
      // the roots stay on the server: a client learns only that the path is refused
      `${path} is outside the data roots (${roots.length} configured); an operator can add one with LACUNA_DATA_ROOTS`,
    );
  }
}

/** A selection that cannot apply to its dataset; the message names the argument and the allowed range. */
export class InvalidSelectionError extends LacunaError {
  /** Where the fault sits in a request, for clients: always the selection. */
  readonly argument = "selection";
  constructor(message: string) {
    super("input", "INVALID_SELECTION", message);
  }
}
