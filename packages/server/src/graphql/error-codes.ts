import { type ErrorKind, isLacunaError } from "@lacuna/core";

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

/**
 * The one table from an error's kind (core's error model) to the code a GraphQL client sees.
 * `unavailable` (an unwritable cache, a full disk) is the server's trouble, not the client's: it is
 * logged and answered like any internal error.
 */
export const GRAPHQL_CODE_OF_KIND: Readonly<Record<ErrorKind, GraphQLErrorCode>> = {
  input: GraphQLErrorCodes.BAD_USER_INPUT,
  "not-found": GraphQLErrorCodes.NOT_FOUND,
  unauthenticated: GraphQLErrorCodes.UNAUTHENTICATED,
  cancelled: GraphQLErrorCodes.CANCELLED,
  unavailable: GraphQLErrorCodes.INTERNAL_SERVER_ERROR,
  internal: GraphQLErrorCodes.INTERNAL_SERVER_ERROR,
};

/** An error as a client sees it: a code, a message for people, and for bad input what was wrong. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
  /** The library's own code (INVALID_PARAMETER, INVALID_FILE, ...) when it differs from `code`. */
  readonly reason?: string;
  /** The argument at fault, as a path in the request (`input.numObservations`). */
  readonly argument?: string;
}

/** Where core's errors sit in a coverage request, by core's parameter name or error code. */
const ARGUMENT_OF: Readonly<Record<string, string>> = {
  percent: "input.percent",
  NOT_ENOUGH_SAMPLES: "input.numObservations",
  OUT_OF_UNIT_INTERVAL: "input.forceUnitInterval",
};

/** The request argument an error names: its own `argument`, else core's parameter or code mapped. */
function argumentOf(error: Error & { code: string }): string | undefined {
  const { argument, parameter } = error as { argument?: unknown; parameter?: unknown };
  if (typeof argument === "string") return argument;
  return (
    (typeof parameter === "string" ? ARGUMENT_OF[parameter] : undefined) ?? ARGUMENT_OF[error.code]
  );
}

/**
 * Classifies any thrown value by its kind. Only errors Lacuna raised on purpose with a kind a
 * client can act on keep their message; anything else becomes INTERNAL_SERVER_ERROR with a
 * generic message (the details go to the log only).
 */
export function errorInfo(error: unknown): ErrorInfo {
  const code = isLacunaError(error)
    ? GRAPHQL_CODE_OF_KIND[error.kind]
    : GraphQLErrorCodes.INTERNAL_SERVER_ERROR;
  if (!isLacunaError(error) || code === GraphQLErrorCodes.INTERNAL_SERVER_ERROR) {
    return {
      code: GraphQLErrorCodes.INTERNAL_SERVER_ERROR,
      message: "internal error; the server log has the details",
    };
  }
  if (error.kind !== "input") return { code, message: error.message };
  const argument = argumentOf(error);
  return {
    code,
    message: error.message,
    reason: error.code,
    ...(argument ? { argument } : {}),
  };
}
