import { normalizeSelection } from "../coverage/input.js";
import type { Selection } from "../datasets/selection.js";
import { type LacunaContext, requireKey } from "../graphql/context.js";
import type { ProjectionMethodName, ProjectionRecord, ProjectionRequest } from "./service.js";

export interface ProjectionArgs {
  datasetId: string;
  selection?: Selection | null;
  model?: string | null;
  method?: ProjectionMethodName | null;
  seed?: number | null;
}

function projectionRequest(args: ProjectionArgs): ProjectionRequest {
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
    projection: (_: unknown, args: ProjectionArgs, { services }: LacunaContext) =>
      services.projections.projection(projectionRequest(args)),
  },
  Mutation: {
    startProjection: (_: unknown, args: ProjectionArgs, context: LacunaContext) => {
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
    indices: (p: ProjectionRecord) => p.indices,
    labels: (p: ProjectionRecord) => {
      const labels = p.dataset.labels;
      return Array.from(p.indices, (i) => (labels ? (labels[i] ?? null) : null));
    },
  },
};
