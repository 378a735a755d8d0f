import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // one graphql for the tests, as in Node: Vite would pick graphql's ESM build for our files
    // while Apollo requires its CommonJS build, and graphql refuses types from "another realm"
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve("graphql") }],
  },
  test: {
    // the CLI tests start real processes with worker pools: generous limits for a busy 2-core machine
    testTimeout: 60_000,
  },
});
