import { LacunaInputError } from "@lacuna/core";
import { InvalidModelError, PoolOptionError, RadiiCancelledError } from "@lacuna/worker";
import { InvalidSelectionError } from "../datasets/errors.js";
import {
  FileNotFoundError,
  InvalidArgumentError,
  InvalidFileError,
  NotFoundError,
  PathOutsideRootsError,
  UnauthenticatedError,
} from "../errors.js";

/** The `extensions.code` values Lacuna's GraphQL errors carry, besides Apollo's own. */
export const GraphQLErrorCodes = {
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  CANCELLED: "CANCELLED",
  INTERRUPTED: "INTERRUPTED",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;

export type GraphQLErrorCode = (typeof GraphQLErrorCodes)[keyof typeof GraphQLErrorCodes];

/** An error as a client sees it: a code, a message for people, and for bad input what was wrong. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
  /** The library's own code (INVALID_PARAMETER, INVALID_FILE, ...) when it differs from `code`. */
  readonly reason?: string;
  /** The argument at fault, as a path in the request (`input.numObservations`). */
  readonly argument?: string;
}

const ARGUMENT_OF_PARAMETER: Record<string, string> = {
  k: "input.numObservations",
  percent: "input.percent",
};

/**
 * Classifies any thrown value. Only errors Lacuna raised on purpose keep their message; anything
 * else becomes INTERNAL_SERVER_ERROR with a generic message (the details go to the log only).
 */
export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof InvalidArgumentError) {
    return {
      code: GraphQLErrorCodes.BAD_USER_INPUT,
      message: error.message,
      reason: error.code,
      argument: error.argument,
    };
  }
  if (error instanceof LacunaInputError) {
    const parameter = (error as { parameter?: unknown }).parameter;
    const argument =
      typeof parameter === "string"
        ? ARGUMENT_OF_PARAMETER[parameter]
        : error.code === "NOT_ENOUGH_SAMPLES"
          ? "input.numObservations"
          : error.code === "OUT_OF_UNIT_INTERVAL"
            ? "input.forceUnitInterval"
            : undefined;
    return {
      code: GraphQLErrorCodes.BAD_USER_INPUT,
      message: error.message,
      reason: error.code,
      ...(argument ? { argument } : {}),
    };
  }
  if (error instanceof InvalidSelectionError) {
    return {
      code: GraphQLErrorCodes.BAD_USER_INPUT,
      message: error.message,
      reason: error.code,
      argument: "selection",
    };
  }
  if (
    error instanceof InvalidFileError ||
    error instanceof FileNotFoundError ||
    error instanceof PathOutsideRootsError ||
    error instanceof InvalidModelError ||
    error instanceof PoolOptionError
  ) {
    return {
      code: GraphQLErrorCodes.BAD_USER_INPUT,
      message: error.message,
      reason: (error as { code?: string }).code ?? error.name,
    };
  }
  if (error instanceof NotFoundError)
    return { code: GraphQLErrorCodes.NOT_FOUND, message: error.message };
  if (error instanceof UnauthenticatedError)
    return { code: GraphQLErrorCodes.UNAUTHENTICATED, message: error.message };
  if (
    error instanceof RadiiCancelledError ||
    (error instanceof Error && error.name === "JobCancelledError")
  ) {
    return { code: GraphQLErrorCodes.CANCELLED, message: error.message };
  }
  return {
    code: GraphQLErrorCodes.INTERNAL_SERVER_ERROR,
    message: "internal error; the server log has the details",
  };
}
