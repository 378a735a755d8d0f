/**
 * Every error code Lacuna raises, in one table. The GraphQL layer maps each to an
 * `extensions.code`; the CLI maps all of them to exit code 2 (bad input).
 */
export const ErrorCodes = {
  INVALID_EMBEDDINGS: "INVALID_EMBEDDINGS",
  NON_FINITE_VALUE: "NON_FINITE_VALUE",
  INVALID_PARAMETER: "INVALID_PARAMETER",
  NOT_ENOUGH_SAMPLES: "NOT_ENOUGH_SAMPLES",
  OUT_OF_UNIT_INTERVAL: "OUT_OF_UNIT_INTERVAL",
  CONSTANT_EMBEDDINGS: "CONSTANT_EMBEDDINGS",
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Base class of every error core throws on bad input; `code` is stable, `message` is for people. */
export class LacunaInputError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
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
    super(
      ErrorCodes.INVALID_PARAMETER,
      `${parameter} must be ${allowed}; received ${formatValue(value)}`,
    );
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

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null)
    return String(value);
  return Object.prototype.toString.call(value);
}

/** A long computation was asked to stop (through its `shouldStop` callback) before it finished. */
export class ComputationStoppedError extends Error {
  constructor() {
    super("the computation was stopped before it finished");
    this.name = "ComputationStoppedError";
  }
}
