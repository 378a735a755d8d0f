// the client entry alone: the package's root also holds the server, which imports graphql
import { type Client, createClient } from "graphql-ws/client";
import { LacunaError, LacunaNetworkError, type GraphQLErrorEntry } from "./errors.js";
import { JobUpdatesDocument, type JobUpdatesSubscription } from "./generated/graphql.js";

export type JobUpdate = JobUpdatesSubscription["job"];

/** What a WebSocket constructor must offer (the browser's, Node.js 22's, or the `ws` package's). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

export interface LiveOptions {
  /** The GraphQL endpoint over HTTP; its ws:// (wss://) twin is used unless `wsUrl` says otherwise. */
  readonly url: string;
  readonly wsUrl?: string;
  readonly apiKey?: string;
  /** Default the global WebSocket (browsers, Node.js 22); on Node.js 20 pass the `ws` package's. */
  readonly webSocket?: WebSocketConstructor;
}

/**
 * http://host/graphql -> ws://host/graphql, https -> wss. A relative URL ("/graphql", as a page
 * served by Lacuna uses) is resolved against `base`, by default the page's own address.
 */
export function socketUrl(
  url: string,
  base: string | undefined = (globalThis as { location?: { href: string } }).location?.href,
): string {
  const parsed = new URL(url, base);
  if (parsed.protocol === "http:") parsed.protocol = "ws:";
  else if (parsed.protocol === "https:") parsed.protocol = "wss:";
  return parsed.toString();
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === "object" && value !== null && "code" in value && "reason" in value;
}

/** One rejection type per cause, as HTTP requests have: LacunaError or LacunaNetworkError. */
function asLacunaError(error: unknown, url: string): Error {
  if (Array.isArray(error)) return new LacunaError(error as GraphQLErrorEntry[]);
  if (isCloseEvent(error)) {
    if (error.code === 4403) {
      return new LacunaError([
        {
          message: "the server refused the socket: send the API key (apiKey)",
          extensions: { code: "UNAUTHENTICATED" },
        },
      ]);
    }
    return new LacunaNetworkError(
      `the socket to ${url} closed (${error.code}${error.reason ? `: ${error.reason}` : ""})`,
    );
  }
  if (error instanceof Error) {
    return new LacunaNetworkError(`cannot reach ${url}: ${error.message}`, { cause: error });
  }
  return new LacunaNetworkError(`cannot reach ${url}`, { cause: error });
}

/**
 * Subscriptions over one lazily opened graphql-ws socket: opened by the first subscription, closed
 * when the last one ends, so a finished program is not held open by it. Not retried: a dropped
 * socket ends the iteration with a LacunaNetworkError, and callers may fall back to polling.
 */
export class LiveConnection {
  private client: Client | undefined;

  constructor(private readonly options: LiveOptions) {}

  /** Resolved when first needed, so that a client with a relative URL can be made anywhere. */
  private get url(): string {
    return this.options.wsUrl ?? socketUrl(this.options.url);
  }

  private connect(): Client {
    if (this.client) return this.client;
    const impl = this.options.webSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket;
    if (typeof impl !== "function") {
      throw new TypeError(
        "no WebSocket available: on Node.js 20 pass { webSocket } (import WebSocket from 'ws')",
      );
    }
    const { apiKey } = this.options;
    this.client = createClient({
      url: this.url,
      webSocketImpl: impl,
      lazy: true,
      retryAttempts: 0,
      connectionParams: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    });
    return this.client;
  }

  /**
   * A job's state now, then each change in order, until it is SUCCEEDED, FAILED or CANCELLED.
   * Breaking out of the loop (or `return()`) unsubscribes.
   * @throws LacunaError (NOT_FOUND, UNAUTHENTICATED, limits) or LacunaNetworkError, from `next()`
   */
  async *job(id: string): AsyncGenerator<JobUpdate, void, undefined> {
    const iterator = this.connect().iterate<JobUpdatesSubscription>({
      query: JobUpdatesDocument.toString(),
      variables: { id },
    });
    try {
      for (;;) {
        let step: IteratorResult<{ data?: JobUpdatesSubscription | null; errors?: unknown }>;
        try {
          step = await iterator.next();
        } catch (error) {
          throw asLacunaError(error, this.url);
        }
        if (step.done) return;
        const { data, errors } = step.value;
        if (Array.isArray(errors) && errors.length > 0) throw asLacunaError(errors, this.url);
        if (data) yield data.job;
      }
    } finally {
      await iterator.return?.();
    }
  }

  /** Closes the socket, ending every subscription. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.dispose();
  }
}
