/** One GraphQL error as the server sends it. */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: {
    readonly code?: string;
    readonly argument?: string;
    readonly reason?: string;
  } & Record<string, unknown>;
}

/**
 * The server answered, and refused: bad input (`BAD_USER_INPUT`, with the `argument` at fault),
 * an unknown id (`NOT_FOUND`), a missing API key (`UNAUTHENTICATED`), a cancelled or interrupted job
 * (`CANCELLED`, `INTERRUPTED`), a query over the limits (`GRAPHQL_VALIDATION_FAILED`), ...
 */
export class LacunaError extends Error {
  /** The first error's `extensions.code`. */
  readonly code: string;
  /** The argument at fault, for BAD_USER_INPUT (`input.numObservations`). */
  readonly argument: string | undefined;
  /** Every error of the response. */
  readonly errors: readonly GraphQLErrorEntry[];
  constructor(errors: readonly GraphQLErrorEntry[]) {
    const first = errors[0];
    super(first?.message ?? "the server returned an error without a message");
    this.name = "LacunaError";
    this.code = first?.extensions?.code ?? "UNKNOWN";
    this.argument = first?.extensions?.argument;
    this.errors = errors;
  }
}

/**
 * The server could not be reached, or answered with something that is not a GraphQL response
 * (`status` is then the HTTP status). Retrying may help; changing the input will not.
 */
export class LacunaNetworkError extends Error {
  readonly status: number | undefined;
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "LacunaNetworkError";
    this.status = options.status;
  }
}
