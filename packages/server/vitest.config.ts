import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports": Node loads its CommonJS build for every dependency (Apollo,
    // graphql-ws, graphql-tools), Vite would give our sources the .mjs one, and a schema built by
    // one copy is refused by the other ("Cannot use GraphQLSchema from another module or realm")
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve("graphql") }],
  },
  test: {
    // the CLI tests start real processes with worker pools: generous limits for a busy 2-core machine
    testTimeout: 60_000,
    // hooks start servers (a PostgreSQL database, a `lacuna serve` process) on the same machine
    hookTimeout: 60_000,
    globalSetup: ["./src/test-support/postgres-setup.ts"],
  },
});
