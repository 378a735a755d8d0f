import { createHash } from "node:crypto";
import type { EmbeddingService, ResolvedEmbeddings } from "../embeddings/service.js";
import type { JobContext } from "../jobs/manager.js";
import type { NormalizedPairInput } from "./input.js";

/**
 * The key of a two-set request: the kind, both datasets' ids, contents and selections, the
 * model's weights and every parameter, hashed.
 */
export async function pairKey(
  embeddings: EmbeddingService,
  kind: string,
  input: NormalizedPairInput,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const ref = await embeddings.identity(input.reference);
  const other = await embeddings.identity(input.other);
  const r = input.reference;
  return createHash("sha256")
    .update(
      JSON.stringify({
        v: 1,
        kind,
        reference: [r.datasetId, ref.dataset.contentHash, r.selection, ref.dataset.classNames],
        other: [input.other.datasetId, other.dataset.contentHash, input.other.selection],
        model: ref.modelHash,
        otherModel: other.modelHash,
        method: r.method,
        k: r.numObservations,
        percent: r.method === "ADAPTIVE" ? r.percent : null,
        force: r.forceUnitInterval,
        metric: input.metric,
        ...extra,
      }),
    )
    .digest("hex");
}

/** Both sets' embeddings (from the cache, or encoded in the pool), with the job's progress. */
export async function resolvePair(
  embeddings: EmbeddingService,
  input: NormalizedPairInput,
  ctx: JobContext,
): Promise<{ reference: ResolvedEmbeddings; other: ResolvedEmbeddings }> {
  ctx.progress("embedding", 0);
  const reference = await embeddings.resolve(input.reference, {
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress("embedding", (0.4 * done) / total),
  });
  const other = await embeddings.resolve(input.other, {
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress("embedding", 0.4 + (0.4 * done) / total),
  });
  ctx.progress("neighbours", 0.8);
  return { reference, other };
}
