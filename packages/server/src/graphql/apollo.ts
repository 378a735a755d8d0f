import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import type { ServerConfig } from "../config.js";
import type { LacunaContext } from "./context.js";
import { errorInfo, GraphQLErrorCodes } from "./error-codes.js";
import { costLimitPlugin } from "./cost-plugin.js";
import { subscriptionsOverSocketOnly } from "./http-subscriptions.js";
import { apiKeyGuard } from "./key-guard.js";
import { executableSchema } from "./schema.js";

type Limits = Pick<
  ServerConfig,
  "introspection" | "maxDepth" | "maxAliases" | "maxCost" | "maxTokens" | "maxResponseBytes"
>;

/**
 * Request mistakes that Apollo and graphql-js raise without a code (so Apollo labels them
 * INTERNAL_SERVER_ERROR): the client's fault, answered BAD_USER_INPUT.
 */
const CLIENT_MISTAKES: readonly RegExp[] = [
  /^provided sha does not match query$/,
  /^Schema is not configured to execute subscription operation\.$/,
];

/**
 * Turns every error into what a client may see: Lacuna's own errors keep their message and get a
 * code; GraphQL's parse and validation errors pass as Apollo coded them; anything unexpected is
 * logged and answered with a generic INTERNAL_SERVER_ERROR. No stack trace ever leaves.
 */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const apolloCode = formatted.extensions?.code;
    const fromResolver = original !== error || (formatted.path?.length ?? 0) > 0;
    if (
      !fromResolver &&
      typeof apolloCode === "string" &&
      apolloCode !== GraphQLErrorCodes.INTERNAL_SERVER_ERROR
    ) {
      return {
        message: formatted.message,
        locations: formatted.locations,
        extensions: { code: apolloCode },
      };
    }
    if (!fromResolver && CLIENT_MISTAKES.some((m) => m.test(formatted.message))) {
      return {
        message: formatted.message,
        locations: formatted.locations,
        extensions: { code: GraphQLErrorCodes.BAD_USER_INPUT },
      };
    }
    const info = errorInfo(original);
    if (info.code === GraphQLErrorCodes.INTERNAL_SERVER_ERROR) {
      logger.error({ err: original, path: formatted.path }, "resolver failed");
    }
    const { code, message, ...details } = info;
    return {
      message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code, ...details },
    };
  };
}

/**
 * The query limits (depth, aliases, cost, directives) as graphql-armor's validation rules and
 * plugins: one definition for HTTP and for WebSocket subscriptions alike.
 */
export function protection(limits: Limits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    // armor's cost limit counts fields, not list sizes or pictures: costLimitPlugin prices those
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
    // Apollo's own parseOptions.maxTokens (below) answers 400 GRAPHQL_PARSE_FAILED; armor's answers 500
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: !limits.introspection },
  }).protect();
}

/** The Apollo server with Lacuna's schema, limits and error policy (not yet started). */
export function createApollo(
  limits: Limits,
  logger: Logger,
  version: string,
  plugins: ApolloServerPlugin<LacunaContext>[] = [],
  schema: GraphQLSchema = executableSchema(version),
): ApolloServer<LacunaContext> {
  const armor = protection(limits);
  return new ApolloServer<LacunaContext>({
    schema,
    introspection: limits.introspection,
    csrfPrevention: true,
    // lacuna serve handles SIGTERM itself: jobs, pool and database must close too
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    formatError: formatError(logger),
    validationRules: armor.validationRules,
    plugins: [
      ...armor.plugins,
      ApolloServerPluginLandingPageDisabled(),
      apiKeyGuard(),
      costLimitPlugin(limits),
      // every Apollo of ours, the tests' harness included: subscriptions live on the socket only
      subscriptionsOverSocketOnly(),
      ...plugins,
    ] as ApolloServerPlugin<LacunaContext>[],
    parseOptions: { maxTokens: limits.maxTokens },
    logger: {
      debug: (m: string) => logger.debug(m),
      info: (m: string) => logger.info(m),
      warn: (m: string) => logger.warn(m),
      error: (m: string) => logger.error(m),
    },
  });
}
