import type { RequestHandler } from "express";

/** Names that always reach this machine itself. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** The host name of a Host header, lower case, without its port (`[::1]:4000` -> `::1`). */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined || header === "") return undefined;
  const host = header.trim().toLowerCase();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end > 0 ? host.slice(1, end) : undefined;
  }
  const colon = host.indexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

/**
 * Whether a Host header names this server: a loopback name (`localhost`, `*.localhost`,
 * `127.x.y.z`, `::1`), the interface it listens on (unless a wildcard) or one of `allowed`.
 */
export function isAllowedHost(
  header: string | undefined,
  listenHost: string,
  allowed: readonly string[],
): boolean {
  const name = hostName(header);
  if (name === undefined) return false;
  if (LOOPBACK.has(name) || name.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(name))
    return true;
  const listen = listenHost.toLowerCase();
  if (name === listen && listen !== "0.0.0.0" && listen !== "::") return true;
  return allowed.includes(name);
}

/**
 * Answers 403 to a request whose Host header names another site: a page on attacker.example that
 * re-points its DNS name at 127.0.0.1 (DNS rebinding) reaches the server with its own name.
 */
export function hostCheck(listenHost: string, allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (isAllowedHost(req.headers.host, listenHost, allowed)) {
      next();
      return;
    }
    res.status(403).json({
      errors: [
        {
          message: "this Host is not served; add it to LACUNA_ALLOWED_HOSTS",
          extensions: { code: "FORBIDDEN_HOST" },
        },
      ],
    });
  };
}
