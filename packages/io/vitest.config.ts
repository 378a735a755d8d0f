import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the parsers' fuzz tests and sharp's image decoding: generous limits for a busy 2-core machine
    testTimeout: 60_000,
  },
});
