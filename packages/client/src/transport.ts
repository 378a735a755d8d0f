import { LacunaError, LacunaNetworkError, type GraphQLErrorEntry } from "./errors.js";
import type { TypedDocumentString } from "./generated/graphql.js";

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorEntry[];
}

/**
 * POSTs one GraphQL operation and returns its `data`.
 * @throws LacunaError when the server answers with errors; LacunaNetworkError when it cannot be
 * reached or answers without a GraphQL response; the signal's reason when it aborts
 */
export async function postGraphQL<TResult, TVariables>(
  fetchImpl: typeof fetch,
  url: string,
  headers: Record<string, string>,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables | undefined,
  signal: AbortSignal | undefined,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: document.toString(), variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new LacunaNetworkError(`cannot reach ${url}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let body: GraphQLResponse<TResult>;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch (error) {
    throw new LacunaNetworkError(
      `${url} answered HTTP ${response.status} without a GraphQL response`,
      {
        status: response.status,
        cause: error,
      },
    );
  }
  if (body.errors && body.errors.length > 0) throw new LacunaError(body.errors);
  if (!body.data) {
    throw new LacunaNetworkError(`${url} answered HTTP ${response.status} without data`, {
      status: response.status,
    });
  }
  return body.data;
}
