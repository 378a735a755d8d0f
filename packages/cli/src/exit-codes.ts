import { type ErrorKind, isLacunaError } from "@lacuna/core";

/** Exit codes: 0 success, 1 an internal failure (a bug), 2 bad input or usage, 130 cancelled. */
export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_CANCELLED = 130;

/**
 * The one table from an error's kind (core's error model) to the CLI's exit code. Everything a
 * person at the terminal can fix (input, a missing dataset, a port in use, an unwritable folder)
 * is 2; only errors Lacuna did not raise on purpose, or internal ones, are 1.
 */
export const EXIT_CODE_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  input: EXIT_BAD_INPUT,
  "not-found": EXIT_BAD_INPUT,
  unauthenticated: EXIT_BAD_INPUT,
  unavailable: EXIT_BAD_INPUT,
  cancelled: EXIT_CANCELLED,
  internal: EXIT_INTERNAL,
};

/** Node's "address already in use": the port `serve` was given is taken, which the user can fix. */
function isPortInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "EADDRINUSE";
}

/** The exit code for any thrown value, and whether its message is meant for people (no stack). */
export function exitCodeOf(error: unknown): { code: number; expected: boolean } {
  if (isLacunaError(error)) {
    const code = EXIT_CODE_OF_KIND[error.kind];
    return { code, expected: code !== EXIT_INTERNAL };
  }
  if (isPortInUse(error)) return { code: EXIT_BAD_INPUT, expected: true };
  return { code: EXIT_INTERNAL, expected: false };
}
