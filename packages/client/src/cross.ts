/** Issue 17's operations for LacunaClient: cross coverage, gap regions, collect, export downloads. */
import { type GraphQLErrorEntry, LacunaError, LacunaNetworkError } from "./errors.js";
import {
  CollectDocument,
  type CollectInput,
  type CollectQuery,
  type CoverageInput,
  CrossCoverageDocument,
  type CrossCoverageInput,
  type CrossCoverageQuery,
  GapRegionsDocument,
  type GapRegionsQuery,
} from "./generated/graphql.js";
import type { LacunaClient } from "./client.js";
import type { ResultOptions } from "./options.js";

export type CrossCoverageResult = CrossCoverageQuery["crossCoverage"];
export type CollectResult = CollectQuery["collect"];
export type GapRegion = GapRegionsQuery["coverage"]["gapRegions"][number];

/** How much of a cross coverage to fetch. */
export interface CrossCoverageOptions {
  /** Uncovered query samples to return (at most 1000; default 100) and from where. */
  readonly first?: number;
  readonly offset?: number;
  /** Nearest reference samples per uncovered query sample (default 5). */
  readonly nearest?: number;
  /** Include images as PNG data URLs, scaled up `imageScale` times. */
  readonly images?: boolean;
  readonly imageScale?: number;
}

export interface GapRegionOptions {
  /** Include each medoid's image as a PNG data URL, scaled up `imageScale` times. */
  readonly images?: boolean;
  readonly imageScale?: number;
}

type Requester = Pick<LacunaClient, "request">;

/** Does the reference cover the query? Waits for the result (the server keeps it). */
export async function crossCoverage(
  client: Requester,
  input: CrossCoverageInput,
  options: CrossCoverageOptions = {},
): Promise<CrossCoverageResult> {
  const { images, ...rest } = options;
  return (await client.request(CrossCoverageDocument, { input, ...rest, withImages: images }))
    .crossCoverage;
}

/** Up to `input.budget` pool samples that best close the reference's gaps, in pick order. */
export async function collect(
  client: Requester,
  input: CollectInput,
  options: ResultOptions = {},
): Promise<CollectResult> {
  const { first, offset, images, imageScale } = options;
  const variables = { input, first, offset, withImages: images ?? false, imageScale };
  return (await client.request(CollectDocument, variables)).collect;
}

/** A coverage result's flagged samples grouped into gap regions (largest deficit first). */
export async function gapRegions(
  client: Requester,
  input: CoverageInput,
  options: GapRegionOptions = {},
): Promise<GapRegion[]> {
  const { coverage } = await client.request(GapRegionsDocument, {
    input,
    withImages: options.images ?? false,
    imageScale: options.imageScale,
  });
  return coverage.gapRegions;
}

/** What a download holds: a coverage's or a cross coverage's flagged samples, or a collect list. */
export type ExportKind = "coverage" | "cross" | "collect";

export interface ExportOptions {
  /** `csv` (default), `jsonl` or `label-studio` (a Label Studio import file). */
  readonly format?: "csv" | "jsonl" | "label-studio";
  /** Only this gap region's members. */
  readonly region?: number;
  /** Image address template for the rows: `{source}`, `{index}`, `{row}` are replaced. */
  readonly image?: string;
}

/**
 * The server's download address for a finished result: `/export/KIND/ID?format=...` beside the
 * GraphQL endpoint (`http://host:4000/graphql` -> `http://host:4000/export/...`).
 */
export function exportUrl(
  graphqlUrl: string,
  kind: ExportKind,
  id: string,
  options: ExportOptions = {},
): string {
  // a relative endpoint ("/graphql", as the dashboard has it) is relative to the page
  const page = (globalThis as { location?: { href: string } }).location?.href;
  const url = new URL(
    `../export/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`,
    new URL(graphqlUrl, page),
  );
  url.searchParams.set("format", options.format ?? "csv");
  if (options.region !== undefined) url.searchParams.set("region", String(options.region));
  if (options.image !== undefined) url.searchParams.set("image", options.image);
  return url.toString();
}

/**
 * Fetches a download as text. @throws LacunaError with the server's code (NOT_FOUND for an
 * unknown id, BAD_USER_INPUT for a bad format or region); LacunaNetworkError when unreachable
 */
export async function downloadExport(
  fetchImpl: typeof fetch,
  headers: Record<string, string>,
  url: string,
): Promise<string> {
  let response: Response;
  try {
    const auth = headers.authorization;
    response = await fetchImpl(url, auth ? { headers: { authorization: auth } } : {});
  } catch (error) {
    throw new LacunaNetworkError(`cannot reach ${url}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (response.ok) return response.text();
  // an error body is GraphQL-shaped JSON; anything else (a proxy's HTML page) has only its status
  const body = (await response.json().catch((error: unknown) => ({ parseError: error }))) as {
    errors?: GraphQLErrorEntry[];
  };
  if (body.errors?.length) throw new LacunaError(body.errors);
  throw new LacunaNetworkError(`${url} answered HTTP ${response.status}`, {
    status: response.status,
  });
}
