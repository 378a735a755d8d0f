import { describe, expect, it } from "vitest";
import { LacunaClient } from "./client.js";
import { LacunaError, LacunaNetworkError } from "./errors.js";

describe("exportUrl", () => {
  it("points beside the GraphQL endpoint, with the format, region and image template", () => {
    const client = new LacunaClient({ url: "http://h:4000/graphql" });
    expect(client.exportUrl("cross", "abc")).toBe("http://h:4000/export/cross/abc?format=csv");
    expect(
      client.exportUrl("coverage", "a/b", {
        format: "label-studio",
        region: 2,
        image: "/i/{index}.png",
      }),
    ).toBe(
      "http://h:4000/export/coverage/a%2Fb?format=label-studio&region=2&image=%2Fi%2F%7Bindex%7D.png",
    );
  });
});

describe("exportUrl with a relative endpoint", () => {
  it("resolves it against the page", () => {
    const g = globalThis as { location?: { href: string } };
    g.location = { href: "http://page:4000/?dataset=x" };
    try {
      expect(new LacunaClient({ url: "/graphql" }).exportUrl("collect", "c")).toBe(
        "http://page:4000/export/collect/c?format=csv",
      );
    } finally {
      delete g.location;
    }
  });
});

describe("download", () => {
  const answer = (status: number, body: string, type = "application/json") =>
    (async () => new Response(body, { status, headers: { "content-type": type } })) as typeof fetch;

  it("returns the text, sending the API key", async () => {
    let seen: HeadersInit | undefined;
    const client = new LacunaClient({
      url: "http://h/graphql",
      apiKey: "k".repeat(16),
      fetch: (async (_url: string, init?: RequestInit) => {
        seen = init?.headers;
        return new Response("index\n1\n", { status: 200 });
      }) as typeof fetch,
    });
    expect(await client.download("collect", "x")).toBe("index\n1\n");
    expect(seen).toEqual({ authorization: `Bearer ${"k".repeat(16)}` });
  });

  it("rejects with the server's code, or a network error without one", async () => {
    const notFound = new LacunaClient({
      url: "http://h/graphql",
      fetch: answer(
        404,
        JSON.stringify({ errors: [{ message: "no", extensions: { code: "NOT_FOUND" } }] }),
      ),
    });
    await expect(notFound.download("cross", "x")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(notFound.download("cross", "x")).rejects.toBeInstanceOf(LacunaError);
    const broken = new LacunaClient({
      url: "http://h/graphql",
      fetch: answer(502, "<html>", "text/html"),
    });
    await expect(broken.download("cross", "x")).rejects.toBeInstanceOf(LacunaNetworkError);
  });
});
