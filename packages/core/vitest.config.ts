import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // property tests run hundreds of cases: allow for a busy 2-core machine
    testTimeout: 60_000,
  },
});
