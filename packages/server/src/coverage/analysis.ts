import {
  type ClassCoverageRow,
  type Embeddings,
  ensureUnitInterval,
  explainSample,
  type GapRegions,
  type SampleExplanation,
} from "@lacuna/core";
import { type KnnPool, poolDeficits, poolGapRegions } from "@lacuna/worker";
import type { EmbeddingService } from "../embeddings/service.js";
import { InvalidArgumentError } from "../errors.js";
import { perClassOnThread, statisticsOnThread } from "./statistics-thread.js";
import type { CoverageRecord } from "./store.js";

interface Prepared {
  /** The embeddings as given (per-class statistics use these). */
  readonly given: Embeddings;
  /** As the radii were computed (brought to [0, 1]); neighbours are measured here. */
  readonly unit: Embeddings;
  /** Row of each dataset index in the result, or -1. */
  readonly rowOf: Map<number, number>;
}

export interface EmbeddingStatistics {
  readonly completeness: number;
  readonly isotropy: number;
  readonly effectiveDimension: number;
  readonly rank: number;
}

const KEEP = 8;

/**
 * What a coverage result explains on request: per-class rows, dataset statistics, a sample's
 * neighbours. Each needs the result's embeddings (from the embedding cache) and is computed once
 * per result and kept for the few most recent results.
 */
export class CoverageAnalysis {
  private readonly prepared = new Map<string, Promise<Prepared>>();
  private readonly memo = new Map<string, unknown>();

  constructor(
    private readonly embeddings: EmbeddingService,
    private readonly pool: KnnPool,
  ) {}

  private prepare(record: CoverageRecord): Promise<Prepared> {
    let entry = this.prepared.get(record.key);
    if (!entry) {
      entry = this.embeddings.resolve(record.input).then((resolved) => {
        const given = resolved.embeddings;
        const rowOf = new Map<number, number>();
        record.indices.forEach((index, row) => rowOf.set(index, row));
        return { given, unit: ensureUnitInterval(given, record.input.forceUnitInterval), rowOf };
      });
      this.prepared.set(record.key, entry);
      entry.catch(() => this.prepared.delete(record.key));
      if (this.prepared.size > KEEP) this.prepared.delete(this.prepared.keys().next().value!);
    }
    return entry;
  }

  private remember<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    // a failed computation is not kept: the next request tries again
    if (value instanceof Promise) value.catch(() => this.memo.delete(key));
    if (this.memo.size > 64) this.memo.delete(this.memo.keys().next().value!);
    return value;
  }

  /** Per-class rows for this result's uncovered samples; null when the data has no labels. */
  async perClass(
    record: CoverageRecord,
    options: { minClassSamples: number; nearDuplicateFactor: number },
  ): Promise<ClassCoverageRow[] | null> {
    if (!record.labels) return null;
    const labels = record.labels;
    if (!Number.isInteger(options.minClassSamples) || options.minClassSamples < 2) {
      throw new InvalidArgumentError("minClassSamples", "an integer >= 2", options.minClassSamples);
    }
    if (!Number.isFinite(options.nearDuplicateFactor) || options.nearDuplicateFactor < 0) {
      throw new InvalidArgumentError(
        "nearDuplicateFactor",
        "a finite number >= 0",
        options.nearDuplicateFactor,
      );
    }
    const { given } = await this.prepare(record);
    return this.remember(
      `${record.key}:classes:${options.minClassSamples}:${options.nearDuplicateFactor}`,
      // seconds of CPU on a large dataset: on a thread of its own, never on the event loop
      () => perClassOnThread(given, labels, record.uncovered, options),
    );
  }

  async statistics(record: CoverageRecord): Promise<EmbeddingStatistics> {
    const { given } = await this.prepare(record);
    return this.remember(`${record.key}:statistics`, () => statisticsOnThread(given));
  }

  /** The row of a dataset index in this result. @throws InvalidArgumentError when it is not selected */
  async row(record: CoverageRecord, index: number): Promise<number> {
    const { rowOf } = await this.prepare(record);
    const row = rowOf.get(index);
    if (row === undefined) {
      throw new InvalidArgumentError(
        "index",
        "the dataset index of a sample in this result's selection",
        index,
      );
    }
    return row;
  }

  /** A sample's k nearest neighbours, radius and rank, as rows of this result. */
  async explain(record: CoverageRecord, row: number): Promise<SampleExplanation> {
    const { unit } = await this.prepare(record);
    return this.remember(`${record.key}:explain:${row}`, () =>
      explainSample(unit, row, record.input.numObservations, record.radii, record.coverageRadius),
    );
  }

  /**
   * The result's flagged samples grouped into gap regions (core's gapRegions to the bit, rows of
   * this result), the deficits' searches and the regions' in the worker pool, off the event loop.
   */
  async gapRegions(record: CoverageRecord, linkFactor = 2): Promise<GapRegions> {
    const { unit } = await this.prepare(record);
    return this.remember(`${record.key}:gaps:${linkFactor}`, async () => {
      const k = record.input.numObservations;
      const R = record.coverageRadius;
      const deficits = await poolDeficits(this.pool, unit, unit, record.uncovered, R, k);
      return poolGapRegions(this.pool, unit, record.uncovered, R, deficits, {
        labels: record.labels ?? undefined,
        linkFactor,
      });
    });
  }
}
