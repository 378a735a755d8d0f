import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types and typed documents from the server's SDL files (no running server, no network): a field
 * renamed in the schema breaks the client's build, and every program built on it.
 */
const config: CodegenConfig = {
  schema: "../server/src/**/*.graphql",
  documents: ["src/operations/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false, gqlTagName: "gql" },
      config: {
        // enums as string unions (`method: "ADAPTIVE"`) and as const objects of their values, so
        // that a form lists them from the schema instead of copying them by hand
        enumType: "const",
        useTypeImports: true,
        // string documents: no GraphQL parser at run time (the browser bundle stays small)
        documentMode: "string",
        importExtension: ".js",
        scalars: { ID: "string" },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        skipTypename: true,
      },
    },
  },
};

export default config;
