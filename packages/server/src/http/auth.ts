import { createHash, timingSafeEqual } from "node:crypto";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/**
 * Whether a request's headers carry the API key (`Authorization: Bearer <key>` or `X-Api-Key`).
 * Compares fixed-length digests with timingSafeEqual, so timing reveals neither the key nor its length.
 */
export function hasApiKey(
  headers: { authorization?: string; "x-api-key"?: string | string[] },
  apiKey: string | undefined,
): boolean {
  if (apiKey === undefined) return true;
  const bearer = headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  const header = headers["x-api-key"];
  const given = bearer ?? (Array.isArray(header) ? header[0] : header);
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(apiKey));
}
