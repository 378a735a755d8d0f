/**
 * Hostile requests against the real server process: each is answered with a code and without a
 * stack trace, within the limits, while another client keeps being served.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../testing/process.js";

let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "lacuna-hostile-"));
  server = await startServerProcess(dataDir);
});
afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const nested = (depth: number) =>
  `{ __schema { types ${"{ fields { type ".repeat(depth)}{ name }${" } }".repeat(depth)} } }`;

const HOSTILE: [string, string | (() => string), number, string][] = [
  ["a deep query", () => JSON.stringify({ query: nested(12) }), 400, "GRAPHQL_VALIDATION_FAILED"],
  [
    "a wide query",
    () => JSON.stringify({ query: `{ ${"version ".repeat(3000)} }` }),
    400,
    "GRAPHQL_PARSE_FAILED",
  ],
  [
    "an alias flood",
    () =>
      JSON.stringify({
        query: `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: datasets { id }`).join(" ")} }`,
      }),
    400,
    "GRAPHQL_VALIDATION_FAILED",
  ],
  [
    "a huge first",
    () =>
      JSON.stringify({
        query: `{ coverage(input: { datasetId: "mnist:train" }) { uncovered(first: 100000000) { index image(scale: 16) } } }`,
      }),
    400,
    "GRAPHQL_VALIDATION_FAILED",
  ],
  [
    "a huge first in a variable",
    () =>
      JSON.stringify({
        query: `query ($n: Int) { coverage(input: { datasetId: "mnist:test", selection: { limit: 50 }, numObservations: 5 }) { uncovered(first: $n) { index } } }`,
        variables: { n: 2147483647 },
      }),
    200,
    "BAD_USER_INPUT",
  ],
  [
    "a wrong type",
    () =>
      JSON.stringify({
        query: `{ coverage(input: { datasetId: "mnist:train", numObservations: "many" }) { id } }`,
      }),
    400,
    "GRAPHQL_VALIDATION_FAILED",
  ],
  [
    "an unknown field",
    () => JSON.stringify({ query: `{ datasets { id password } }` }),
    400,
    "GRAPHQL_VALIDATION_FAILED",
  ],
  [
    "a variable of the wrong type",
    () =>
      JSON.stringify({
        query: `query ($i: ID!) { job(id: $i) { id } }`,
        variables: { i: { $gt: "" } },
      }),
    400,
    "BAD_USER_INPUT",
  ],
  ["malformed JSON", "{ query: nope", 400, "BAD_REQUEST"],
  [
    "a batch of operations",
    () => JSON.stringify([{ query: "{ version }" }, { query: "{ version }" }]),
    400,
    "BAD_REQUEST",
  ],
  [
    "an oversized body",
    () => JSON.stringify({ query: "{ version }", variables: { pad: "x".repeat(2_000_000) } }),
    413,
    "PAYLOAD_TOO_LARGE",
  ],
  [
    "an enormous selection",
    () =>
      JSON.stringify({
        query: `query ($s: SelectionInput) { coverage(input: { datasetId: "mnist:test", selection: $s }) { id } }`,
        variables: { s: { indices: Array.from({ length: 120_000 }, (_, i) => i) } },
      }),
    200,
    "BAD_USER_INPUT",
  ],
  [
    "a directive flood",
    () => JSON.stringify({ query: `{ version ${"@include(if: true) ".repeat(60)} }` }),
    400,
    "GRAPHQL_VALIDATION_FAILED",
  ],
  [
    "a huge image scale",
    () =>
      JSON.stringify({
        query: `{ sample(datasetId: "mnist:test", index: 0) { image(scale: 100000) } }`,
      }),
    200,
    "BAD_USER_INPUT",
  ],
  ["an empty body", "", 400, "BAD_REQUEST"],
];

describe("hostile requests", () => {
  it.each(HOSTILE)(
    "answers %s with a code, no stack trace, and keeps serving others",
    async (_, body, status, code) => {
      const victim = () => server.graphql<{ datasets: { id: string }[] }>("{ datasets { id } }");
      const [response, served] = await Promise.all([
        fetch(server.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: typeof body === "string" ? body : body(),
        }),
        victim(),
      ]);
      const text = await response.text();
      expect(text).not.toMatch(/\bat .+\.(js|ts):\d+|node_modules|stacktrace/i);
      const parsed = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
      expect(parsed.errors?.[0]?.extensions?.code, text.slice(0, 300)).toBe(code);
      expect(response.status, text.slice(0, 300)).toBe(status);
      expect(served.body.data!.datasets).toHaveLength(2);
      // and the server is still answering afterwards
      expect((await victim()).status).toBe(200);
    },
  );
});
