import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Resolver argument and result types from the server's own SDL files: a renamed argument or enum
 * value breaks the server's build, not a request. And the whole schema merged into one SDL file,
 * `src/generated/schema.graphql`, exported as `@lacuna/server/schema.graphql`: what the client's
 * generator reads (and any other client's), in the repository and in a user's node_modules alike.
 */
const config: CodegenConfig = {
  // the domains' files; not the merged file this writes
  schema: ["src/**/*.graphql", "!src/generated/**"],
  generates: {
    "src/generated/schema.graphql": {
      plugins: ["schema-ast"],
      // descriptions kept (printSchema does); no directive definitions: the schema declares none
      config: { includeDirectives: false },
    },
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        // enums as string unions, as the client has them: `method: "ADAPTIVE"`
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { ID: "string" },
        // `input.selection` may be absent or null, exactly as GraphQL delivers it
        avoidOptionals: false,
        contextType: "../graphql/context.js#LacunaContext",
      },
    },
  },
};

export default config;
