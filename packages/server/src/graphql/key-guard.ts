import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import { UnauthenticatedError } from "../errors.js";
import type { LacunaContext } from "./context.js";
import { GraphQLErrorCodes } from "./error-codes.js";

/**
 * With an API key configured, every operation needs it: queries compute too (coverage,
 * projections, embeddings), so leaving them open would hand the job slot to anyone. Checked once
 * the operation is known, before any resolver runs; answered 401 UNAUTHENTICATED.
 */
export function apiKeyGuard(): ApolloServerPlugin<LacunaContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          if (contextValue.authorized) return;
          throw new GraphQLError(new UnauthenticatedError().message, {
            extensions: { code: GraphQLErrorCodes.UNAUTHENTICATED, http: { status: 401 } },
          });
        },
      };
    },
  };
}
