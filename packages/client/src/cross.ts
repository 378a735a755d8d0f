/** Issue 17's operations for LacunaClient: cross coverage, gap regions, collect, export downloads. */
import { type GraphQLErrorEntry, LacunaError, LacunaNetworkError } from "./errors.js";
import type { CollectQuery, CrossCoverageQuery, GapRegionsQuery } from "./generated/graphql.js";

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
  const url = new URL(
    `../export/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`,
    graphqlUrl,
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
