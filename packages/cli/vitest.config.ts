import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the CLI tests start real processes with worker pools (encoding MNIST several times over):
    // generous limits for a busy 2-core machine, where turbo runs another package's tests beside them
    testTimeout: 120_000,
  },
});
