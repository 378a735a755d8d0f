import { describe, expect, it } from "vitest";
import { boundaryViolations as check } from "../scripts/boundaries.mjs";

function graph(deps: Record<string, string[]>) {
  const nodes = Object.fromEntries(Object.keys(deps).map((name) => [name, {}]));
  const dependencies = Object.fromEntries(
    Object.entries(deps).map(([source, targets]) => [
      source,
      targets.map((target) => ({ source, target, type: "static" })),
    ]),
  );
  return { nodes, dependencies };
}

describe("package boundaries (docs/architecture.md)", () => {
  it("accepts the layering docs/architecture.md describes", () => {
    const g = graph({
      "@lacuna/core": [],
      "@lacuna/io": ["@lacuna/core"],
      "@lacuna/worker": ["@lacuna/core"],
      "@lacuna/server": ["@lacuna/core", "@lacuna/io", "@lacuna/worker"],
      "@lacuna/cli": ["@lacuna/core", "@lacuna/io", "@lacuna/worker", "@lacuna/server"],
      "@lacuna/client": [],
      "@lacuna/dashboard": ["@lacuna/client", "@lacuna/core"],
      "@lacuna/e2e": ["@lacuna/server", "@lacuna/io", "@lacuna/cli", "@lacuna/client"],
    });
    expect(check(g, { "@lacuna/core": { dependencies: { "ml-matrix": "6" } } })).toEqual([]);
  });

  it("refuses core importing anything, the client importing the server, worker importing server", () => {
    const g = graph({
      "@lacuna/core": ["@lacuna/server"],
      "@lacuna/server": ["@lacuna/core"],
      "@lacuna/worker": ["@lacuna/server"],
      "@lacuna/client": ["@lacuna/server"],
      "@lacuna/io": ["@lacuna/worker"],
    });
    expect(check(g, {})).toEqual([
      "@lacuna/core imports @lacuna/server (static); docs/architecture.md allows no Lacuna package",
      "@lacuna/worker imports @lacuna/server (static); docs/architecture.md allows @lacuna/core",
      "@lacuna/client imports @lacuna/server (static); docs/architecture.md allows no Lacuna package",
      "@lacuna/io imports @lacuna/worker (static); docs/architecture.md allows @lacuna/core, @lacuna/models",
    ]);
  });

  it("refuses the server importing the CLI (the CLI imports the server, not the reverse)", () => {
    const g = graph({ "@lacuna/server": ["@lacuna/cli"], "@lacuna/cli": ["@lacuna/server"] });
    expect(check(g, {})).toEqual([
      "@lacuna/server imports @lacuna/cli (static); docs/architecture.md allows @lacuna/core, @lacuna/io, @lacuna/worker",
    ]);
  });

  it("refuses a core runtime dependency that is not a pure numeric library, and unknown packages", () => {
    const g = graph({ "@lacuna/core": [], "@lacuna/mystery": [] });
    expect(check(g, { "@lacuna/core": { dependencies: { express: "5" } } })).toEqual([
      "@lacuna/mystery is not in docs/architecture.md's package table: add its import rules to scripts/boundaries.mjs",
      "@lacuna/core depends on express at run time; core may depend only on pure numeric libraries (ml-matrix)",
    ]);
  });

  it("refuses a client runtime dependency other than graphql", () => {
    const g = graph({ "@lacuna/client": [] });
    expect(check(g, { "@lacuna/client": { dependencies: { graphql: "16", axios: "1" } } })).toEqual(
      [
        "@lacuna/client depends on axios at run time; the client may depend only on graphql, @graphql-typed-document-node/core",
      ],
    );
  });
});
