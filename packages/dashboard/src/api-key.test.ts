import { describe, expect, it } from "vitest";
import { type KeySource, fetchWithApiKey } from "./api-key.js";

/** A server that wants `key`, a storage map and scripted answers to the prompt. */
function setup(answers: (string | null)[]) {
  const stored = new Map<string, string>();
  const asked: string[] = [];
  const seen: (string | null)[] = [];
  const source: KeySource = {
    storage: {
      getItem: (k) => stored.get(k) ?? null,
      setItem: (k, v) => void stored.set(k, v),
      removeItem: (k) => void stored.delete(k),
    },
    ask: (message) => {
      asked.push(message);
      return answers.shift() ?? null;
    },
  };
  const server: typeof fetch = async (_input, init) => {
    const auth = new Headers(init?.headers).get("authorization");
    seen.push(auth);
    return new Response("{}", { status: auth === "Bearer the-right-key-0123" ? 200 : 401 });
  };
  return { fetch: fetchWithApiKey(server, source), stored, asked, seen };
}

describe("fetchWithApiKey", () => {
  it("asks once on a 401, keeps the key for the tab and sends it afterwards", async () => {
    const s = setup(["the-right-key-0123"]);
    expect((await s.fetch("/graphql", { method: "POST" })).status).toBe(200);
    expect((await s.fetch("/graphql", { method: "POST" })).status).toBe(200);
    expect(s.asked).toHaveLength(1);
    expect(s.seen).toEqual([null, "Bearer the-right-key-0123", "Bearer the-right-key-0123"]);
  });

  it("asks again when the kept key is refused, and gives up on a cancelled prompt", async () => {
    const s = setup(["wrong", null]);
    expect((await s.fetch("/graphql")).status).toBe(401);
    expect((await s.fetch("/graphql")).status).toBe(401);
    expect(s.asked[1]).toMatch(/refused/);
    expect(s.stored.size).toBe(0);
  });

  it("never asks a server without a key", async () => {
    const asked: string[] = [];
    const open = fetchWithApiKey(async () => new Response("{}", { status: 200 }), {
      storage: { getItem: () => null, setItem: () => undefined, removeItem: () => undefined },
      ask: (m) => (asked.push(m), null),
    });
    expect((await open("/graphql")).status).toBe(200);
    expect(asked).toEqual([]);
  });
});
