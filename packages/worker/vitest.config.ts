import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // worker threads and GL contexts: one file per process, generous timeouts for software GL
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
