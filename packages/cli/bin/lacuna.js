#!/usr/bin/env node
// Thin launcher: the command is compiled TypeScript under dist/ (built by `npm install`'s prepare step).
try {
  await import("../dist/main.js");
} catch (error) {
  if (
    error &&
    error.code === "ERR_MODULE_NOT_FOUND" &&
    String(error.message).includes("cli/dist/main.js")
  ) {
    process.stderr.write(
      "lacuna: not built yet; run `npm run build` (or `npm install`) in the repository root\n",
    );
    process.exit(1);
  }
  throw error;
}
