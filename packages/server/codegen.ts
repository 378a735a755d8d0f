import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Resolver argument and result types from the server's own SDL files (the same files the client's
 * generator reads): a renamed argument or enum value breaks the server's build, not a request.
 */
const config: CodegenConfig = {
  schema: "src/**/*.graphql",
  generates: {
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
