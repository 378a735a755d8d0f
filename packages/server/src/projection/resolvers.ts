import { float32Base64, int32Base64 } from "../graphql/base64.js";
import type { MutationStartProjectionArgs, QueryProjectionArgs } from "../generated/graphql.js";
import { normalizeSelection } from "../coverage/input.js";
import { type LacunaContext, requireKey } from "../graphql/context.js";
import type { ProjectionRecord, ProjectionRequest } from "./service.js";

function projectionRequest(
  args: QueryProjectionArgs | MutationStartProjectionArgs,
): ProjectionRequest {
  return {
    datasetId: args.datasetId,
    selection: normalizeSelection(args.selection),
    model: args.model,
    method: args.method ?? "TSNE",
    seed: args.seed ?? 0,
  };
}

export const projectionResolvers = {
  Query: {
    projection: (_: unknown, args: QueryProjectionArgs, { services, signal }: LacunaContext) =>
      services.projections.projection(projectionRequest(args), signal),
  },
  Mutation: {
    startProjection: (_: unknown, args: MutationStartProjectionArgs, context: LacunaContext) => {
      requireKey(context);
      return context.services.projections.start(projectionRequest(args));
    },
  },
  Projection: {
    datasetId: (p: ProjectionRecord) => p.request.datasetId,
    method: (p: ProjectionRecord) => p.request.method,
    seed: (p: ProjectionRecord) => p.request.seed,
    count: (p: ProjectionRecord) => p.indices.length,
    coordinates: (p: ProjectionRecord) => p.coordinates,
    coordinatesBase64: (p: ProjectionRecord) => float32Base64(p.coordinates),
    indices: (p: ProjectionRecord) => p.indices,
    indicesBase64: (p: ProjectionRecord) => int32Base64(p.indices),
    labels: (p: ProjectionRecord) => {
      const labels = p.dataset.labels;
      return Array.from(p.indices, (i) => (labels ? (labels[i] ?? null) : null));
    },
  },
};
