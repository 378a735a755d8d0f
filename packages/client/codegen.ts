import type { CodegenConfig } from "@graphql-codegen/cli";
import { createRequire } from "node:module";

/**
 * Types and typed documents from the server's SDL (no running server, no network): a field
 * renamed in the schema breaks the client's build, and every program built on it. The SDL is the
 * server's published `@lacuna/server/schema.graphql` export (its codegen merges its domains' files
 * into it; turbo runs that first), found by Node's resolver, not by the repository's layout. Not
 * a package dependency: the server's build bundles the dashboard, which bundles this client.
 */
const config: CodegenConfig = {
  schema: createRequire(import.meta.url).resolve("@lacuna/server/schema.graphql"),
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
