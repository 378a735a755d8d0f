/** The options of LacunaClient and its methods. */
import type { ProjectionMethod, SelectionInput } from "./generated/graphql.js";
import type { Job } from "./client.js";

export interface LacunaClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <key>` (mutations need it when the server has one). */
  readonly apiKey?: string;
  /** A fetch implementation; default the global one (Node.js 20, browsers). */
  readonly fetch?: typeof fetch;
  /** Extra headers for every request. */
  readonly headers?: Record<string, string>;
}

/** Which projection of which selection (the same seed gives the same picture). */
export interface ProjectionOptions {
  readonly selection?: SelectionInput;
  readonly model?: string;
  readonly method?: ProjectionMethod;
  readonly seed?: number;
}

/** How much of a coverage result to fetch. */
export interface ResultOptions {
  /** Uncovered samples to return (at most 1000; default 100) and from where. */
  readonly first?: number;
  readonly offset?: number;
  /** Include each uncovered sample's image as a PNG data URL, scaled up `imageScale` times. */
  readonly images?: boolean;
  readonly imageScale?: number;
}

/** Lets a caller abandon a request (a newer one replaces it); the fetch is aborted. */
export interface SignalOption {
  readonly signal?: AbortSignal;
}

export interface WaitOptions extends ResultOptions {
  /** Called with the job at every poll while it is queued or running. */
  readonly onProgress?: (job: Job) => void;
  /** Stops waiting (the job goes on; cancel it with cancelJob). */
  readonly signal?: AbortSignal;
  /** Milliseconds between polls; default 250. */
  readonly intervalMs?: number;
}
