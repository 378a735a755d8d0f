import type { Selection } from "@lacuna/io";
import { normalizeSelection } from "../coverage/input.js";
import { type LacunaContext, page } from "../graphql/context.js";
import type { ResolvedEmbeddings } from "./service.js";

type Paged = { first?: number | null; offset?: number | null };

export const embeddingResolvers = {
  Query: {
    embeddings: (
      _: unknown,
      args: { datasetId: string; selection?: Selection | null; model?: string | null },
      { services }: LacunaContext,
    ) =>
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
    indices: (e: ResolvedEmbeddings, args: Paged) => {
      const { first, offset } = page(args);
      return Array.from(e.indices.subarray(offset, offset + first));
    },
    values: (e: ResolvedEmbeddings, args: Paged) => {
      const { first, offset } = page(args);
      const { data, n, d } = e.embeddings;
      const rows: number[][] = [];
      for (let r = offset; r < Math.min(n, offset + first); r++)
        rows.push(Array.from(data.subarray(r * d, (r + 1) * d)));
      return rows;
    },
    base64: (e: ResolvedEmbeddings) => {
      const values = Float32Array.from(e.embeddings.data);
      return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
    },
  },
};
