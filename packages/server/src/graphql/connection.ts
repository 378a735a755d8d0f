import { InvalidArgumentError } from "../errors.js";
import { MAX_PAGE } from "./context.js";

/**
 * Where a page of a newest-first list ends: the last item's creation time and id (the id breaks
 * ties between items created in the same millisecond).
 */
export interface Cursor {
  readonly createdAt: string;
  readonly id: string;
}

/** A cursor as clients see it: opaque (base64url of a small JSON array), so its form may change. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), "utf8").toString("base64url");
}

/**
 * Reads a cursor this server handed out.
 * @throws InvalidArgumentError (argument `after`) for anything else
 */
export function decodeCursor(value: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== "string" ||
    typeof parsed[1] !== "string"
  ) {
    throw new InvalidArgumentError("after", "a cursor from a previous page's endCursor", value);
  }
  return { createdAt: parsed[0], id: parsed[1] };
}

/** Checks a connection's `first` and `after`. @throws InvalidArgumentError */
export function connectionArgs(args: { first?: number | null; after?: string | null }): {
  first: number;
  after: Cursor | null;
} {
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw new InvalidArgumentError("first", `an integer from 0 to ${MAX_PAGE}`, first);
  }
  return { first, after: args.after ? decodeCursor(args.after) : null };
}

export interface Connection<T> {
  readonly edges: { readonly node: T; readonly cursor: string }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

/**
 * A page as a Relay-style connection. `rows` holds up to `first + 1` items, newest first: the
 * extra one only says that there is a next page.
 */
export function toConnection<T>(
  rows: readonly T[],
  first: number,
  cursorOf: (row: T) => Cursor,
): Connection<T> {
  const edges = rows
    .slice(0, first)
    .map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
