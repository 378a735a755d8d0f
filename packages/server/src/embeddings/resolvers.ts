import { float32Base64 } from "../graphql/base64.js";
import type {
  EmbeddingsIndicesArgs,
  EmbeddingsValuesArgs,
  QueryEmbeddingsArgs,
} from "../generated/graphql.js";
import { normalizeSelection } from "../coverage/input.js";
import { type LacunaContext, page } from "../graphql/context.js";
import type { ResolvedEmbeddings } from "./service.js";

export const embeddingResolvers = {
  Query: {
    embeddings: (_: unknown, args: QueryEmbeddingsArgs, { services }: LacunaContext) =>
      services.embeddings.resolve({
        datasetId: args.datasetId,
        selection: normalizeSelection(args.selection),
        model: args.model,
      }),
  },
  Embeddings: {
    datasetId: (e: ResolvedEmbeddings) => e.dataset.record.id,
    count: (e: ResolvedEmbeddings) => e.embeddings.n,
    dimensions: (e: ResolvedEmbeddings) => e.embeddings.d,
    indices: (e: ResolvedEmbeddings, args: EmbeddingsIndicesArgs) => {
      const { first, offset } = page(args);
      return Array.from(e.indices.subarray(offset, offset + first));
    },
    values: (e: ResolvedEmbeddings, args: EmbeddingsValuesArgs) => {
      const { first, offset } = page(args);
      const { data, n, d } = e.embeddings;
      const rows: number[][] = [];
      for (let r = offset; r < Math.min(n, offset + first); r++)
        rows.push(Array.from(data.subarray(r * d, (r + 1) * d)));
      return rows;
    },
    base64: (e: ResolvedEmbeddings) => float32Base64(e.embeddings.data),
  },
};
