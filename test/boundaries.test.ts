import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ALLOWED,
  allowedFromArchitecture,
  boundaryViolations as check,
} from "../scripts/boundaries.mjs";

const doc = readFileSync(new URL("../docs/architecture.md", import.meta.url), "utf8");

/** docs/architecture.md with the "may import" cell of `folder`'s row replaced by `cell`. */
function withCell(folder: string, cell: string): string {
  const row = doc.split("\n").find((line) => line.startsWith(`| \`${folder}\``));
  if (row === undefined) throw new Error(`no row for ${folder}`);
  const cells = row.split("|");
  cells[3] = ` ${cell} `;
  return doc.replace(row, cells.join("|"));
}

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
      "@lacuna/mystery is not in docs/architecture.md's package table: add its row there (what it may import)",
      "@lacuna/core depends on express at run time; core may depend only on pure numeric libraries (ml-matrix)",
    ]);
  });

  it("refuses a client runtime dependency other than graphql and graphql-ws", () => {
    const g = graph({ "@lacuna/client": [] });
    const dependencies = { graphql: "16", "graphql-ws": "6", axios: "1" };
    expect(check(g, { "@lacuna/client": { dependencies } })).toEqual([
      "@lacuna/client depends on axios at run time; the client may depend only on graphql, @graphql-typed-document-node/core, graphql-ws",
    ]);
  });

  it("reads its rules from docs/architecture.md's table, remarks in parentheses aside", () => {
    expect(ALLOWED).toEqual(allowedFromArchitecture(doc));
    expect(ALLOWED["@lacuna/core"]).toEqual([]);
    expect(ALLOWED["@lacuna/worker"]).toEqual(["@lacuna/core"]); // "core (io only in its tests)"
    expect(ALLOWED["@lacuna/cli"]).toEqual([
      "@lacuna/core",
      "@lacuna/io",
      "@lacuna/worker",
      "@lacuna/server",
      "@lacuna/cluster",
    ]);
    expect(ALLOWED["@lacuna/client"]).toEqual([]); // "nothing at run time but graphql ..."
    expect(ALLOWED["@lacuna/e2e"]).toBe("*");
  });

  it("changes what it accepts when the doc's table changes", () => {
    const g = graph({
      "@lacuna/core": [],
      "@lacuna/io": ["@lacuna/core"],
      "@lacuna/worker": ["@lacuna/core", "@lacuna/io"],
    });
    const refused =
      "@lacuna/worker imports @lacuna/io (static); docs/architecture.md allows @lacuna/core";
    expect(check(g, {}, allowedFromArchitecture(doc))).toEqual([refused]);
    // the doc allows io: the same graph passes
    const allowsIo = allowedFromArchitecture(withCell("packages/worker", "core, io"));
    expect(check(g, {}, allowsIo)).toEqual([]);
    // the doc takes core away too: now both edges are refused
    const none = allowedFromArchitecture(withCell("packages/worker", "nothing"));
    expect(check(g, {}, none)).toEqual([
      "@lacuna/worker imports @lacuna/core (static); docs/architecture.md allows no Lacuna package",
      "@lacuna/worker imports @lacuna/io (static); docs/architecture.md allows no Lacuna package",
    ]);
    // a row removed from the doc: the package is unknown
    const row = doc.split("\n").find((line) => line.startsWith("| `packages/worker`"))!;
    const gone = allowedFromArchitecture(doc.replace(`${row}\n`, ""));
    expect(check(g, {}, gone)).toEqual([
      "@lacuna/worker is not in docs/architecture.md's package table: add its row there (what it may import)",
    ]);
  });

  it("refuses a doc without the section or a row without a package name", () => {
    expect(() => allowedFromArchitecture("# Lacuna\n")).toThrow(
      /no "## Packages and what each may import" section/,
    );
    expect(() =>
      allowedFromArchitecture(
        doc.replace("`@lacuna/worker`: the Piscina pool", "the Piscina pool"),
      ),
    ).toThrow("the row of `packages/worker` names no @lacuna package");
  });
});
