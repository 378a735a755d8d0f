/**
 * The server's API key for this tab: asked once, when the server first answers 401, and kept in
 * sessionStorage (gone when the tab closes; never in localStorage or a cookie).
 */

const STORAGE_KEY = "lacuna.apiKey";

/** Where the key is kept and how a person is asked for it; the browser's by default. */
export interface KeySource {
  readonly storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  /** Asks for the key; null when the person cancels. */
  readonly ask: (message: string) => string | null;
}

function browserSource(): KeySource {
  return { storage: sessionStorage, ask: (message) => prompt(message) };
}

function withKey(init: RequestInit | undefined, key: string | null): RequestInit | undefined {
  if (key === null) return init;
  const headers = new Headers(init?.headers);
  headers.set("authorization", `Bearer ${key}`);
  return { ...init, headers };
}

/**
 * A fetch that sends the tab's API key and, on a 401, asks for it (again, if the kept one was
 * wrong) and retries once; a cancelled prompt leaves the 401 answer to the caller.
 */
export function fetchWithApiKey(
  inner: typeof fetch = globalThis.fetch.bind(globalThis),
  source: KeySource = browserSource(),
): typeof fetch {
  return async (input, init) => {
    const kept = source.storage.getItem(STORAGE_KEY);
    const response = await inner(input, withKey(init, kept));
    if (response.status !== 401) return response;
    const key = source.ask(
      kept === null
        ? "This Lacuna server needs its API key:"
        : "The API key was refused; enter it again:",
    );
    if (key === null || key.trim() === "") {
      source.storage.removeItem(STORAGE_KEY);
      return response;
    }
    source.storage.setItem(STORAGE_KEY, key.trim());
    return inner(input, withKey(init, key.trim()));
  };
}
