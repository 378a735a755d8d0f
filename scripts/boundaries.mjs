/**
 * The import rules of docs/architecture.md, checked against Nx's project graph (which Nx builds from
 * package.json dependencies and from the import statements in every source file).
 */

/** Which Lacuna packages each package may import (docs/architecture.md, "Packages and what each may import"). */
export const ALLOWED = {
  "@lacuna/core": [],
  "@lacuna/io": ["@lacuna/core", "@lacuna/models"],
  "@lacuna/worker": ["@lacuna/core"],
  // the distributed coordinator and worker loop: BullMQ around the worker's pool
  "@lacuna/cluster": ["@lacuna/core", "@lacuna/worker"],
  "@lacuna/server": ["@lacuna/core", "@lacuna/io", "@lacuna/worker"],
  "@lacuna/cli": [
    "@lacuna/core",
    "@lacuna/io",
    "@lacuna/worker",
    "@lacuna/server",
    "@lacuna/cluster",
  ],
  "@lacuna/client": [],
  "@lacuna/dashboard": ["@lacuna/client", "@lacuna/core"],
  // the shipped package is data only; the training tools beside the weights (convert-to-tfjs.mjs,
  // not published) read .npy files with io and build the encoder with the worker
  "@lacuna/models": ["@lacuna/io", "@lacuna/worker"],
  "@lacuna/e2e": "*",
};

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
 */
export function boundaryViolations(graph, manifests) {
  const problems = [];
  for (const [source, edges] of Object.entries(graph.dependencies)) {
    const allowed = ALLOWED[source];
    if (allowed === undefined) {
      problems.push(
        `${source} is not in docs/architecture.md's package table: add its import rules to scripts/boundaries.mjs`,
      );
      continue;
    }
    if (allowed === "*") continue;
    for (const edge of edges) {
      if (!(edge.target in graph.nodes) || edge.target.startsWith("npm:")) continue;
      if (!allowed.includes(edge.target)) {
        problems.push(
          `${source} imports ${edge.target} (${edge.type}); docs/architecture.md allows ${allowed.length ? allowed.join(", ") : "no Lacuna package"}`,
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
