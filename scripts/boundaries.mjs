/**
 * The import rules of docs/architecture.md, checked against Nx's project graph (which Nx builds from
 * package.json dependencies and from the import statements in every source file). The rules are
 * read from the doc's table, so the doc and the check cannot drift apart.
 */
import { readFileSync } from "node:fs";

/** The heading of the section whose first table holds the rules. */
const SECTION = "## Packages and what each may import";

/**
 * Which Lacuna packages each package may import, read from the table under "Packages and what each
 * may import": the package is the first `@lacuna/...` in its row's role column; its "may import"
 * cell names packages by their short names (`core`, `io`, ...) separated by commas or "and", with
 * remarks in parentheses ignored; "all" allows every package, and words that name no package
 * ("pure numeric libraries") allow none. A misspelt name therefore allows less, never more.
 * @param {string} markdown the text of docs/architecture.md
 * @returns {Record<string, string[] | "*">}
 * @throws Error when the section, its table or a row's package name is missing
 */
export function allowedFromArchitecture(markdown) {
  const at = markdown.indexOf(SECTION);
  if (at < 0) throw new Error(`docs/architecture.md has no "${SECTION}" section`);
  const lines = markdown.slice(at + SECTION.length).split("\n");
  const first = lines.findIndex((line) => line.startsWith("|"));
  if (first < 0) throw new Error(`docs/architecture.md's "${SECTION}" section has no table`);
  const rows = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  const names = rows.map(([folder, role]) => {
    const name = /`(@lacuna\/[a-z0-9-]+)`/.exec(role ?? "")?.[1];
    if (name === undefined)
      throw new Error(`docs/architecture.md: the row of ${folder} names no @lacuna package`);
    return name;
  });
  const byShortName = new Map(names.map((name) => [name.slice("@lacuna/".length), name]));
  /** @type {Record<string, string[] | "*">} */
  const allowed = {};
  rows.forEach((row, r) => {
    const cell = withoutParentheses(row[2] ?? "");
    if (cell.trim() === "all") {
      allowed[names[r]] = "*";
      return;
    }
    const targets = [];
    for (const part of cell.split(/,| and /)) {
      const target = byShortName.get(part.trim().split(/\s+/)[0] ?? "");
      if (target !== undefined && !targets.includes(target)) targets.push(target);
    }
    allowed[names[r]] = targets;
  });
  return allowed;
}

/** The text less every parenthesised remark (nested ones included). */
function withoutParentheses(text) {
  let out = "";
  let depth = 0;
  for (const c of text) {
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0) out += c;
  }
  return out;
}

/** Which Lacuna packages each package may import: docs/architecture.md's table, read at load. */
export const ALLOWED = allowedFromArchitecture(
  readFileSync(new URL("../docs/architecture.md", import.meta.url), "utf8"),
);

/**
 * Runtime dependencies core may have: small pure numeric libraries only. Adding one here is a
 * design decision; say why in the change.
 */
export const CORE_RUNTIME_ALLOWED = ["ml-matrix"];

/**
 * Runtime dependencies the client may have: "nothing at run time but graphql". Its documents are
 * strings, so it needs not even that; the typed-document package holds only types. graphql-ws is
 * the subscription protocol's client (`subscribeJob`): it imports only `graphql-ws/client`, which has
 * no dependencies and runs in browsers and Node.js alike.
 */
export const CLIENT_RUNTIME_ALLOWED = [
  "graphql",
  "@graphql-typed-document-node/core",
  "graphql-ws",
];

/**
 * Every edge of the graph that docs/architecture.md forbids, as readable lines; empty when all is well.
 * @param {{ nodes: Record<string, unknown>, dependencies: Record<string, { target: string, type: string }[]> }} graph
 * @param {Record<string, { dependencies?: Record<string, string> }>} manifests package.json of each project
 * @param {Record<string, string[] | "*">} [allowed] the rules; default docs/architecture.md's (ALLOWED)
 */
export function boundaryViolations(graph, manifests, allowed = ALLOWED) {
  const problems = [];
  for (const [source, edges] of Object.entries(graph.dependencies)) {
    const mine = allowed[source];
    if (mine === undefined) {
      problems.push(
        `${source} is not in docs/architecture.md's package table: add its row there (what it may import)`,
      );
      continue;
    }
    if (mine === "*") continue;
    for (const edge of edges) {
      if (!(edge.target in graph.nodes) || edge.target.startsWith("npm:")) continue;
      if (!mine.includes(edge.target)) {
        problems.push(
          `${source} imports ${edge.target} (${edge.type}); docs/architecture.md allows ${mine.length ? mine.join(", ") : "no Lacuna package"}`,
        );
      }
    }
  }
  const core = manifests["@lacuna/core"];
  for (const dep of Object.keys(core?.dependencies ?? {})) {
    if (!CORE_RUNTIME_ALLOWED.includes(dep)) {
      problems.push(
        `@lacuna/core depends on ${dep} at run time; core may depend only on pure numeric libraries (${CORE_RUNTIME_ALLOWED.join(", ")})`,
      );
    }
  }
  const client = manifests["@lacuna/client"];
  for (const dep of Object.keys(client?.dependencies ?? {})) {
    if (!CLIENT_RUNTIME_ALLOWED.includes(dep)) {
      problems.push(
        `@lacuna/client depends on ${dep} at run time; the client may depend only on ${CLIENT_RUNTIME_ALLOWED.join(", ")}`,
      );
    }
  }
  return problems;
}
