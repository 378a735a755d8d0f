import type { IncomingMessage, Server } from "node:http";
import {
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import { type Extra, useServer } from "graphql-ws/use/ws";
import type { Context } from "graphql-ws";
import type { Logger } from "pino";
import { type WebSocket, WebSocketServer } from "ws";
import type { ServerConfig } from "../config.js";
import { formatError, protection } from "../graphql/apollo.js";
import type { LacunaContext, Services } from "../graphql/context.js";
import { hasApiKey } from "./auth.js";
import { isAllowedHost } from "./host-check.js";

type SocketConfig = Pick<
  ServerConfig,
  | "apiKey"
  | "corsOrigins"
  | "bodyLimit"
  | "maxSockets"
  | "maxSubscriptionsPerSocket"
  | "socketIdleMs"
  | "introspection"
  | "maxDepth"
  | "maxAliases"
  | "maxCost"
  | "maxTokens"
  | "maxResponseBytes"
  | "host"
  | "allowedHosts"
>;

/** How long a socket may take to send `connection_init` before it is closed (4408). */
export const CONNECTION_INIT_TIMEOUT_MS = 5_000;

export interface SubscriptionServer {
  /** Sockets open now. */
  readonly size: number;
  /** Closes every socket (1001, going away) and stops accepting new ones. */
  dispose(): Promise<void>;
}

/**
 * The API key as a socket can carry it: `connectionParams` (`authorization: "Bearer <key>"`,
 * `x-api-key` or `apiKey`; browsers cannot set headers on a WebSocket) or the upgrade request's
 * own headers. The comparison is the HTTP one (`hasApiKey`), so one check serves both.
 */
export function socketHasApiKey(
  params: Readonly<Record<string, unknown>> | undefined,
  request: IncomingMessage,
  apiKey: string | undefined,
): boolean {
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const fromParams = {
    authorization: text(params?.authorization),
    "x-api-key": text(params?.["x-api-key"]) ?? text(params?.apiKey),
  };
  const { authorization, "x-api-key": xApiKey } = request.headers;
  return (
    hasApiKey(fromParams, apiKey) || hasApiKey({ authorization, "x-api-key": xApiKey }, apiKey)
  );
}

/**
 * Whether a browser page from `origin` may open a socket: the server's own host, or an origin
 * CORS allows. WebSockets are not subject to CORS, so without this any page could subscribe.
 * Clients other than browsers send no Origin and pass.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  corsOrigins: readonly string[],
): boolean {
  if (!origin) return true;
  if (corsOrigins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * GraphQL subscriptions over graphql-ws on `/graphql`, beside Apollo's HTTP: the same schema, the
 * same API key (required at connection when set: refused with 4403), the same limits (tokens,
 * depth, aliases, cost). Sockets are capped (`maxSockets`, then HTTP 503), as are subscriptions per
 * socket; a socket that never initialises is closed after 5 s (4408), one without subscriptions
 * after `socketIdleMs` (1000). Only subscriptions travel here; queries and mutations use HTTP.
 */
export function attachSubscriptions(
  httpServer: Server,
  schema: GraphQLSchema,
  services: Services,
  config: SocketConfig,
  logger: Logger,
): SubscriptionServer {
  const wss: WebSocketServer = new WebSocketServer({
    server: httpServer,
    path: "/graphql",
    maxPayload: config.bodyLimit,
    verifyClient: ({ req, origin }, done) => {
      if (wss.clients.size >= config.maxSockets) done(false, 503, "too many open sockets");
      // the upgrade bypasses Express, so the Host check (DNS rebinding) is made here too
      else if (!isAllowedHost(req.headers.host, config.host, config.allowedHosts)) done(false, 403);
      else if (!originAllowed(origin, req.headers.host, config.corsOrigins)) done(false, 403);
      else done(true);
    },
  });
  const rules = [...specifiedRules, ...protection(config).validationRules];
  const format = formatError(logger);
  const formatted = (errors: readonly GraphQLError[]) => errors.map((e) => format(e.toJSON(), e));
  const lastActive = new Map<WebSocket, number>();
  const timers = new Map<WebSocket, NodeJS.Timeout>();

  const watchIdle = (ctx: Pick<Context, "subscriptions"> & { readonly extra: Extra }) => {
    const { socket } = ctx.extra;
    const check = () => {
      const quiet = Date.now() - (lastActive.get(socket) ?? 0);
      if (Object.keys(ctx.subscriptions).length === 0 && quiet >= config.socketIdleMs) {
        socket.close(1000, `no subscription for ${config.socketIdleMs} ms`);
        return;
      }
      timers.set(socket, setTimeout(check, Math.max(config.socketIdleMs - quiet, 100)).unref());
    };
    lastActive.set(socket, Date.now());
    timers.set(socket, setTimeout(check, config.socketIdleMs).unref());
    socket.once("close", () => {
      clearTimeout(timers.get(socket));
      timers.delete(socket);
      lastActive.delete(socket);
    });
  };

  const disposable = useServer<Record<string, unknown>>(
    {
      schema,
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      onConnect: (ctx) => {
        if (!socketHasApiKey(ctx.connectionParams, ctx.extra.request, config.apiKey)) return false;
        watchIdle(ctx);
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        lastActive.set(ctx.extra.socket, Date.now());
        // the new subscription is already counted in ctx.subscriptions
        if (Object.keys(ctx.subscriptions).length > config.maxSubscriptionsPerSocket) {
          return [
            new GraphQLError(
              `at most ${config.maxSubscriptionsPerSocket} subscriptions per socket; complete one first`,
              { extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } },
            ),
          ];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: config.maxTokens });
        } catch (error) {
          return [
            error instanceof GraphQLError
              ? new GraphQLError(error.message, {
                  extensions: { code: "GRAPHQL_PARSE_FAILED" },
                })
              : new GraphQLError("cannot parse the document"),
          ];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) {
          return errors.map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes,
                // as Apollo answers them over HTTP, whatever code a rule set
                extensions: { ...e.extensions, code: "GRAPHQL_VALIDATION_FAILED" },
              }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== "subscription") {
          return [
            new GraphQLError(
              "send one subscription over the socket; queries and mutations use HTTP POST",
              {
                extensions: { code: "BAD_REQUEST" },
              },
            ),
          ];
        }
        const contextValue: LacunaContext = { services, authorized: true };
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult): FormattedExecutionResult =>
        result.errors ? { ...result, errors: formatted(result.errors) } : result,
      onError: (_ctx, _id, _payload, errors) => formatted(errors),
      onComplete: (ctx) => {
        lastActive.set(ctx.extra.socket, Date.now());
      },
    },
    wss,
  );

  return {
    get size() {
      return wss.clients.size;
    },
    async dispose() {
      for (const timer of timers.values()) clearTimeout(timer);
      await disposable.dispose();
    },
  };
}
