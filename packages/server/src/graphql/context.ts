import type { CoverageAnalysis } from "../coverage/analysis.js";
import type { CoverageService } from "../coverage/service.js";
import type { CollectService } from "../collect/service.js";
import type { CrossCoverageService } from "../cross/service.js";
import type { DatasetService } from "../datasets/service.js";
import type { EmbeddingService } from "../embeddings/service.js";
import { InvalidArgumentError, UnauthenticatedError } from "../errors.js";
import type { JobManager } from "../jobs/manager.js";
import type { ProjectionService } from "../projection/service.js";

/** The services resolvers call; resolvers stay thin. */
export interface Services {
  readonly datasets: DatasetService;
  readonly embeddings: EmbeddingService;
  readonly coverage: CoverageService;
  readonly analysis: CoverageAnalysis;
  readonly projections: ProjectionService;
  readonly cross: CrossCoverageService;
  readonly collect: CollectService;
  readonly jobs: JobManager;
  readonly version: string;
}

export interface LacunaContext {
  readonly services: Services;
  /** False only when the server has an API key and the request did not carry it. */
  readonly authorized: boolean;
  /** Aborts when the HTTP client disconnects before its answer: its waits stop, jobs may cancel. */
  readonly signal?: AbortSignal;
}

/** @throws UnauthenticatedError */
export function requireKey(context: LacunaContext): void {
  if (!context.authorized) throw new UnauthenticatedError();
}

/** Most list items one field returns (`first`). */
export const MAX_PAGE = 1000;

/** Checks `first` and `offset` of a paged field. @throws InvalidArgumentError */
export function page(args: { first?: number | null; offset?: number | null }): {
  first: number;
  offset: number;
} {
  const first = args.first ?? 100;
  const offset = args.offset ?? 0;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw new InvalidArgumentError("first", `an integer from 0 to ${MAX_PAGE}`, first);
  }
  if (!Number.isInteger(offset) || offset < 0)
    throw new InvalidArgumentError("offset", "an integer >= 0", offset);
  return { first, offset };
}
