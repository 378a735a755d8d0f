/**
 * Lacuna's one error model. Every error Lacuna raises on purpose is a `LacunaError` with a `kind`
 * (what a caller should do about it) and a stable `code` (which error it is); the GraphQL server
 * maps kinds to `extensions.code` and the CLI maps kinds to exit codes, each with one small table,
 * so a new error class needs no change there.
 */

/**
 * What a caller can do about an error: fix the input (`input`), ask for something that exists
 * (`not-found`), present the key it lacks (`unauthenticated`), nothing: it was asked to stop
 * (`cancelled`), retry later or elsewhere
 * (`unavailable`: a busy port, an unwritable cache), or report a bug (`internal`).
 */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Every kind, once: the server's and the CLI's tables map each; rebuilt errors are checked against it. */
export const ERROR_KINDS = [
  "input",
  "not-found",
  "unauthenticated",
  "cancelled",
  "unavailable",
  "internal",
] as const;

/** True for a string that names an ErrorKind. */
export function isErrorKind(value: unknown): value is ErrorKind {
  return (ERROR_KINDS as readonly unknown[]).includes(value);
}

/** Base class of every error Lacuna raises on purpose; `code` is stable, `message` is for people. */
export class LacunaError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True for errors Lacuna raised on purpose (any package, any realm: checked by shape, not class). */
export function isLacunaError(error: unknown): error is LacunaError {
  return (
    error instanceof Error &&
    typeof (error as Partial<LacunaError>).code === "string" &&
    isErrorKind((error as Partial<LacunaError>).kind)
  );
}

/**
 * The one wording of a value outside its range: "`what` must be `allowed`; received `value`"
 * (strings quoted, objects by their type), used by every such error in every package.
 */
export function mustBe(what: string, allowed: string, received: unknown): string {
  return `${what} must be ${allowed}; received ${formatValue(received)}`;
}

/**
 * Every error code core raises on bad input, in one table. The GraphQL layer and the CLI act on
 * the error's kind; the code tells clients which error it was.
 */
export const ErrorCodes = {
  INVALID_EMBEDDINGS: "INVALID_EMBEDDINGS",
  NON_FINITE_VALUE: "NON_FINITE_VALUE",
  INVALID_PARAMETER: "INVALID_PARAMETER",
  NOT_ENOUGH_SAMPLES: "NOT_ENOUGH_SAMPLES",
  OUT_OF_UNIT_INTERVAL: "OUT_OF_UNIT_INTERVAL",
  CONSTANT_EMBEDDINGS: "CONSTANT_EMBEDDINGS",
  VALUES_TOO_LARGE: "VALUES_TOO_LARGE",
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Base class of every error core throws on bad input (kind `input`). */
export class LacunaInputError extends LacunaError {
  declare readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super("input", code, message);
  }
}

/** The embeddings are not a non-empty, rectangular 2-D array. */
export class InvalidEmbeddingsError extends LacunaInputError {
  constructor(message: string) {
    super(ErrorCodes.INVALID_EMBEDDINGS, message);
  }
}

/** A NaN or infinite value, with the row and column where it sits. */
export class NonFiniteValueError extends LacunaInputError {
  constructor(
    readonly row: number,
    readonly column: number,
    readonly value: number,
  ) {
    super(
      ErrorCodes.NON_FINITE_VALUE,
      `embeddings must be finite: found ${String(value)} at row ${row}, column ${column}`,
    );
  }
}

/** A parameter (k, percent, ...) outside its allowed range. */
export class InvalidParameterError extends LacunaInputError {
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    allowed: string,
  ) {
    super(ErrorCodes.INVALID_PARAMETER, mustBe(parameter, allowed, value));
  }
}

/** Fewer samples than the k-th nearest neighbour needs (n must exceed k). */
export class NotEnoughSamplesError extends LacunaInputError {
  constructor(
    readonly n: number,
    readonly k: number,
  ) {
    super(
      ErrorCodes.NOT_ENOUGH_SAMPLES,
      `need more samples than k: n = ${n} is less than or equal to k = ${k}; use k <= ${Math.max(n - 1, 0)} or more samples`,
    );
  }
}

/** Values outside [0, 1] while the caller did not ask to force the unit interval. */
export class OutOfUnitIntervalError extends LacunaInputError {
  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    super(
      ErrorCodes.OUT_OF_UNIT_INTERVAL,
      `embeddings must be in the unit interval [0, 1]: found values from ${min} to ${max}; rescale them or pass forceUnitInterval (--force-unit-interval)`,
    );
  }
}

/** Forcing the unit interval is impossible when every value is the same (max - min = 0). */
export class ConstantEmbeddingsError extends LacunaInputError {
  constructor(readonly value: number) {
    super(
      ErrorCodes.CONSTANT_EMBEDDINGS,
      `cannot rescale to the unit interval: every value equals ${value}, so max - min is 0`,
    );
  }
}

/** Values so large that sums of their squares overflow a double (distances, variances). */
export class ValuesTooLargeError extends LacunaInputError {
  constructor(
    readonly largest: number,
    readonly limit: number,
  ) {
    super(
      ErrorCodes.VALUES_TOO_LARGE,
      `embeddings must have magnitudes below ${limit.toPrecision(3)} here (sums of their squares would overflow); found ${largest}; rescale them (or pass forceUnitInterval, --force-unit-interval)`,
    );
  }
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null)
    return String(value);
  return Object.prototype.toString.call(value);
}

/** A long computation was asked to stop (through its `shouldStop` callback) before it finished. */
export class ComputationStoppedError extends LacunaError {
  constructor() {
    super("cancelled", "CANCELLED", "the computation was stopped before it finished");
  }
}

/**
 * A computation (radii, encoding, projection, a job) was cancelled through its AbortSignal or by
 * its owner; `message` says why when the canceller said so.
 */
export class CancelledError extends LacunaError {
  constructor(message = "the computation was cancelled") {
    super("cancelled", "CANCELLED", message);
  }
}

/** An unknown dataset, job, model or sample; `what` names the kind, `id` the value asked for. */
export class NotFoundError extends LacunaError {
  constructor(
    readonly what: string,
    readonly id: string,
    hint = "",
  ) {
    super("not-found", "NOT_FOUND", `no ${what} "${id}"${hint ? `; ${hint}` : ""}`);
  }
}
