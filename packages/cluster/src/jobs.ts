/**
 * The jobs' data and results (protocol PROTOCOL in contract.ts), and the pure merge a parent job
 * runs over its children's results. Radii travel as the base64 of their float64 bytes: exact to
 * the bit, a third the size of decimal JSON.
 */
import { isErrorKind, LacunaError } from "@lacuna/core";
import type { BlobRef } from "./blob-store.js";
import type { Contract } from "./contract.js";

/** One block: the radii of query rows [rowA, rowB) against all n rows of the blob. */
export interface BlockJobData {
  readonly contract: Contract;
  readonly flowId: string;
  readonly block: number;
  readonly blob: BlobRef;
  /** The blob store it is in (BlobStore.description): the worker's must be the same. */
  readonly store: string;
  readonly k: number;
  readonly rowA: number;
  readonly rowB: number;
}

/** The parent: concatenates its `blocks` children's radii into n. */
export interface MergeJobData {
  readonly contract: Contract;
  readonly flowId: string;
  readonly n: number;
  readonly blocks: number;
  readonly sha256: string;
}

export interface BlockJobResult {
  readonly block: number;
  readonly rowA: number;
  readonly rowB: number;
  /** base64 of rowB - rowA float64 radii. */
  readonly radii: string;
  /** Which worker computed it (host:pid), and how long it took there (ms). */
  readonly worker: string;
  readonly ms: number;
}

export interface MergeJobResult {
  readonly sha256: string;
  readonly n: number;
  /** base64 of n float64 radii. */
  readonly radii: string;
  /** Wall time of each block on its worker (ms), in block order, for the benchmark's breakdown. */
  readonly blockMs: readonly number[];
  readonly mergeMs: number;
}

/** Progress a block reports through BullMQ (`job.updateProgress`). */
export interface BlockProgress {
  readonly done: number;
  readonly total: number;
  readonly worker: string;
}

/** Bit-exact text form of float64 values. */
export function encodeRadii(radii: Float64Array): string {
  return Buffer.from(radii.buffer, radii.byteOffset, radii.byteLength).toString("base64");
}

/** Inverse of encodeRadii. @throws MergeError when the text is not whole float64 values */
export function decodeRadii(text: string): Float64Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength % 8 !== 0)
    throw new MergeError(`a radii payload of ${bytes.byteLength} bytes is not float64 values`);
  const out = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** The children's results do not make one answer: never merged into a wrong one. */
export class MergeError extends LacunaError {
  constructor(problem: string) {
    super("internal", "CLUSTER_MERGE_INVALID", `the blocks' results cannot be merged: ${problem}`);
  }
}

/**
 * The n radii from the children's results, in any order. At-least-once delivery may bring a block
 * twice: a copy with the same bits is idempotent, one with other bits is an error (a worker of
 * another build slipped through), as is a missing block, rows outside [0, n) or overlapping blocks.
 * @param values getChildrenValues' answer: child job key -> its result
 * @throws MergeError
 */
export function mergeBlocks(
  n: number,
  blocks: number,
  values: Readonly<Record<string, BlockJobResult>>,
): Float64Array {
  const radii = new Float64Array(n);
  const byBlock = new Map<number, { rowA: number; rowB: number; radii: Float64Array }>();
  for (const [key, value] of Object.entries(values)) {
    const { block, rowA, rowB } = value;
    if (!Number.isInteger(block) || block < 0 || block >= blocks)
      throw new MergeError(`${key} is block ${block} of ${blocks}`);
    if (!Number.isInteger(rowA) || !Number.isInteger(rowB) || rowA < 0 || rowB > n || rowA >= rowB)
      throw new MergeError(`${key} holds rows ${rowA}..${rowB} of ${n}`);
    const values64 = decodeRadii(value.radii);
    if (values64.length !== rowB - rowA)
      throw new MergeError(`${key} holds ${values64.length} radii for ${rowB - rowA} rows`);
    const seen = byBlock.get(block);
    if (seen) {
      const same =
        seen.rowA === rowA &&
        seen.rowB === rowB &&
        Buffer.compare(Buffer.from(seen.radii.buffer), Buffer.from(values64.buffer)) === 0;
      if (!same) throw new MergeError(`block ${block} came twice with different radii`);
      continue;
    }
    byBlock.set(block, { rowA, rowB, radii: values64 });
  }
  if (byBlock.size !== blocks)
    throw new MergeError(`${byBlock.size} of ${blocks} blocks have results`);
  const ordered = [...byBlock.values()].sort((a, b) => a.rowA - b.rowA);
  let next = 0;
  for (const part of ordered) {
    if (part.rowA !== next)
      throw new MergeError(`rows ${next}..${part.rowA} are in no block (or in two)`);
    radii.set(part.radii, part.rowA);
    next = part.rowB;
  }
  if (next !== n) throw new MergeError(`rows ${next}..${n} are in no block`);
  return radii;
}

/** Blocks of about `rows` query rows covering [0, n): [rowA, rowB) each. */
export function blockRanges(n: number, rows: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let a = 0; a < n; a += rows) ranges.push([a, Math.min(n, a + rows)]);
  return ranges;
}

/** A coded error as a job's failed reason: `kind/CODE: message`, read back by remoteError. */
export function reasonOf(error: LacunaError): string {
  return `${error.kind}/${error.code}: ${error.message}`;
}

/** The error a worker raised, rebuilt from its failed reason (kind and code kept), or null. */
export function remoteError(reason: string): LacunaError | null {
  const match = /^([a-z-]+)\/([A-Z_]+): ([\s\S]*)$/.exec(reason);
  if (!match || !isErrorKind(match[1])) return null;
  return new LacunaError(match[1], match[2]!, `a worker failed: ${match[3]!}`);
}
