// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/.turbo/**",
      "**/.nx/**",
      "test/fixtures/**",
      "packages/client/src/generated/**",
      "packages/server/src/generated/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        performance: "readonly",
        URL: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": [
        "error",
        { "ts-ignore": true, "ts-expect-error": "allow-with-description" },
      ],
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CatchClause[body.body.length=0]",
          message: "Do not swallow errors: handle, rethrow or say why.",
        },
      ],
    },
  },
  {
    // no source file over 400 lines (docs/architecture.md, Style), every line counted: blank
    // lines and comments are part of what a reader scrolls through
    files: ["**/*.ts", "**/*.mjs"],
    rules: {
      "max-lines": ["error", { max: 400, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    // core is pure: no files, threads, network or processes (docs/architecture.md)
    files: ["packages/core/**/*.ts"],
    ignores: ["packages/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "node:*",
                "fs",
                "fs/*",
                "path",
                "os",
                "child_process",
                "worker_threads",
                "net",
                "http",
                "https",
                "stream",
              ],
              message: "@lacuna/core is pure: no I/O, threads or network (docs/architecture.md).",
            },
            {
              group: ["@lacuna/*"],
              message: "@lacuna/core imports no other Lacuna package (docs/architecture.md).",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        "process",
        "fetch",
        "require",
        "setTimeout",
        "setInterval",
        "Worker",
      ],
    },
  },
);
