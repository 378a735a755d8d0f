import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // real Redis and real `lacuna worker` processes on a busy 2-core machine
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // the process tests share one machine's cores: one file at a time
    fileParallelism: false,
  },
});
