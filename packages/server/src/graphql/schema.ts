import { makeExecutableSchema } from "@graphql-tools/schema";
import type { GraphQLSchema } from "graphql";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { collectResolvers } from "../collect/resolvers.js";
import { coverageResolvers } from "../coverage/resolvers.js";
import { crossResolvers } from "../cross/resolvers.js";
import { datasetResolvers } from "../datasets/resolvers.js";
import { embeddingResolvers } from "../embeddings/resolvers.js";
import { jobResolvers } from "../jobs/resolvers.js";
import { projectionResolvers } from "../projection/resolvers.js";
import type { LacunaContext } from "./context.js";

/**
 * The schema's SDL files, one per domain, in the order they must be read. They live in `src/`
 * (the client's code generator reads them there too); this module finds them from `src/graphql`
 * and from `dist/graphql` alike, both two levels below the package root.
 */
export const SCHEMA_FILES = [
  "graphql/base.graphql",
  "datasets/schema.graphql",
  "embeddings/schema.graphql",
  "jobs/schema.graphql",
  "coverage/schema.graphql",
  "projection/schema.graphql",
  "cross/schema.graphql",
  "collect/schema.graphql",
] as const;

export function schemaPath(file: string): string {
  return fileURLToPath(new URL(`../../src/${file}`, import.meta.url));
}

export function loadTypeDefs(): string[] {
  return SCHEMA_FILES.map((file) => readFileSync(schemaPath(file), "utf8"));
}

export function resolvers(version: string) {
  return [
    {
      Query: { version: () => version },
      Mutation: {
        ping: (_: unknown, __: unknown, context: LacunaContext) => {
          if (!context.authorized) return false;
          return true;
        },
      },
    },
    datasetResolvers,
    embeddingResolvers,
    jobResolvers,
    coverageResolvers,
    projectionResolvers,
    crossResolvers,
    collectResolvers,
  ];
}

/** The executable schema, built once and served by both HTTP (Apollo) and WebSocket (graphql-ws). */
export function executableSchema(version: string): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers(version) });
}
