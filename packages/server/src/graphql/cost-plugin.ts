import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { LacunaContext } from "./context.js";
import { operationCost } from "./cost.js";

export interface CostLimits {
  readonly maxCost: number;
  readonly maxAliases: number;
  /** Largest JSON answer in bytes (UTF-16 code units, close enough for a cap). */
  readonly maxResponseBytes: number;
}

function refuse(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
  });
}

/**
 * Prices each operation with its variables (`operationCost`) before any resolver runs, refusing
 * it above `maxCost` or with more aliases than `maxAliases` (`__typename` counted); and replaces
 * any answer larger than `maxResponseBytes` by one RESPONSE_TOO_LARGE error.
 */
export function costLimitPlugin(limits: CostLimits): ApolloServerPlugin<LacunaContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const { cost, aliases } = operationCost(
            schema,
            document,
            operation,
            request.variables ?? {},
          );
          if (aliases > limits.maxAliases)
            throw refuse(`the operation uses ${aliases} aliases; at most ${limits.maxAliases}`);
          if (cost > limits.maxCost)
            throw refuse(
              `the operation costs ${cost}, more than the limit ${limits.maxCost}: ask for fewer items (first), smaller images (scale), a smaller numObservations for neighbours, or fewer computing fields`,
            );
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const size = JSON.stringify(response.body.singleResult).length;
          if (size <= limits.maxResponseBytes) return;
          response.body.singleResult = {
            errors: [
              {
                message: `the answer would be ${size} bytes, more than the limit ${limits.maxResponseBytes}: ask for less (first, scale) or page through it (offset)`,
                extensions: { code: "RESPONSE_TOO_LARGE" },
              },
            ],
          };
        },
      };
    },
  };
}
