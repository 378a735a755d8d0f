import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the CLI tests start real processes with worker pools: generous limits for a busy 2-core machine
    testTimeout: 60_000,
  },
});
