import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { LacunaContext } from "./context.js";
import { GraphQLErrorCodes } from "./error-codes.js";

/**
 * Refuses a subscription sent over HTTP before it runs: graphql-js would execute it once like a
 * query and fail inside (an internal error); the client needs to hear where subscriptions go.
 */
export function subscriptionsOverSocketOnly(): ApolloServerPlugin<LacunaContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ operation }) {
          if (operation?.operation !== "subscription") return Promise.resolve();
          throw new GraphQLError(
            "subscriptions travel over WebSocket (graphql-ws) at this same /graphql address, not over HTTP POST",
            { extensions: { code: GraphQLErrorCodes.BAD_USER_INPUT, http: { status: 400 } } },
          );
        },
      });
    },
  };
}
