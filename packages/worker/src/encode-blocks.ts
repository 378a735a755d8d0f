/** How an encoding call is cut into worker tasks, and its results put back together. */
import type { EncodeBlockResult as BlockResult, EncodeTask } from "./protocol.js";
import type { ScheduledBlock } from "./scheduler.js";
import { toShared } from "./shared-index.js";
import { PoolOptionError } from "./threads.js";

export interface EncodeOptions {
  /** Directory holding the TensorFlow.js model (model.json and weights). */
  readonly modelDir: string;
  /** Images per forward pass; default 64, the seed's. */
  readonly batchSize?: number;
  /** "auto" (tfjs-node-gpu when installed, else wasm), "wasm" or "cpu". */
  readonly tfBackend?: "auto" | "wasm" | "cpu";
  readonly signal?: AbortSignal;
  /** Images encoded so far, and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface EncodeResult {
  /** count x dimensions float32 codes. */
  readonly codes: Float32Array;
  readonly dimensions: number;
  /** The TensorFlow.js backend that ran. */
  readonly backend: string;
}

/**
 * The blocks of an encoding call (a few per thread, each at least a batch), the merge of their
 * results, and the assembled codes once all have landed.
 * @throws PoolOptionError for a batch size or count out of range
 */
export function encodeBlocks(
  pixels: Uint8Array,
  count: number,
  options: EncodeOptions,
  cancel: SharedArrayBuffer,
  threads: number,
): {
  blocks: ScheduledBlock<EncodeTask>[];
  onResult: (block: ScheduledBlock<EncodeTask>, result: BlockResult) => void;
  result: () => EncodeResult;
} {
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 65536) {
    throw new PoolOptionError("batchSize", batchSize, "an integer from 1 to 65536");
  }
  if (!Number.isInteger(count) || count < 1 || pixels.length % count !== 0) {
    throw new PoolOptionError(
      "count",
      count,
      `an integer >= 1 dividing the ${pixels.length} pixel bytes`,
    );
  }
  const shared = toShared(pixels);
  const blockSize = Math.max(batchSize, Math.ceil(count / (threads * 4)));
  const blocks: ScheduledBlock<EncodeTask>[] = [];
  for (let start = 0; start < count; start += blockSize) {
    const size = Math.min(blockSize, count - start);
    blocks.push({
      task: {
        kind: "encode",
        cancel,
        pixels: shared,
        start,
        count: size,
        modelDir: options.modelDir,
        batchSize,
        tfBackend: options.tfBackend ?? "auto",
      },
      units: size,
      what: `the codes of images ${start}..${start + size - 1}`,
    });
  }
  const results = new Map<number, Float32Array>();
  let backend = "";
  return {
    blocks,
    onResult: (block, result) => {
      results.set(block.task.start, result.codes);
      backend = result.backend;
    },
    result: () => {
      const dimensions = results.get(0)!.length / blocks[0]!.task.count;
      const codes = new Float32Array(count * dimensions);
      for (const [start, block] of results) codes.set(block, start * dimensions);
      return { codes, dimensions, backend };
    },
  };
}
