import type { Embeddings } from "./embeddings.js";

/**
 * How exact duplicate rows collapse before a kNN search: each group of identical rows keeps at
 * most k + 1 copies (its first ones, in order). Why this leaves every radius bit-identical:
 * - a row with at least k other copies has k neighbours at distance 0: its radius is 0;
 * - any other row sees k + 1 copies of each group, and at most k of them can be among its k
 *   nearest, so dropping the rest changes no k-th smallest distance;
 * - copies that are kept see the same distance multiset, so they share one radius.
 * Identical rows thus cost O(n d) (hashing) instead of O(n^2 d) comparisons.
 */
export interface DuplicatePlan {
  /** The original row of each kept row, increasing. */
  readonly kept: Int32Array;
  /** For each original row, the kept row whose radius it takes. */
  readonly source: Int32Array;
  /** The kept rows as embeddings (a copy; same dtype). */
  readonly reduced: Embeddings;
}

/** FNV-1a over a row's 32-bit words: equal rows hash equal (bit patterns, so -0 and +0 differ). */
function rowHash(words: Uint32Array, start: number, length: number): number {
  let h = 0x811c9dc5;
  for (let t = start; t < start + length; t++) h = Math.imul(h ^ words[t]!, 0x01000193);
  return h >>> 0;
}

function sameRow(words: Uint32Array, a: number, b: number, length: number): boolean {
  for (let t = 0; t < length; t++) if (words[a + t] !== words[b + t]) return false;
  return true;
}

/**
 * Groups exactly identical rows (bit for bit) and keeps at most k + 1 of each; null when no
 * group has more than k + 1 rows (nothing to gain: search the embeddings as they are).
 * O(n d) time: an open-addressing hash table of typed arrays, no per-row allocation.
 */
export function planDuplicates(embeddings: Embeddings, k: number): DuplicatePlan | null {
  const { n, d, data } = embeddings;
  const words = new Uint32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  const wordsPerRow = (data.BYTES_PER_ELEMENT / 4) * d;
  let size = 1;
  while (size < 2 * n) size *= 2;
  const slots = new Int32Array(size).fill(-1); // first row of the group in this slot
  const group = new Int32Array(n); // each row's group (its first row)
  const count = new Int32Array(n); // copies seen so far, per group (by first row)
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    let s = rowHash(words, i * wordsPerRow, wordsPerRow) & (size - 1);
    for (;;) {
      const first = slots[s]!;
      if (first === -1) {
        slots[s] = i;
        break;
      }
      if (sameRow(words, first * wordsPerRow, i * wordsPerRow, wordsPerRow)) break;
      s = (s + 1) & (size - 1);
    }
    const first = slots[s]!;
    group[i] = first;
    if (++count[first]! > k + 1) dropped++;
  }
  if (dropped === 0) return null;
  const kept = new Int32Array(n - dropped);
  const source = new Int32Array(n);
  const keptOfGroup = new Int32Array(n).fill(-1); // a kept row of each group (its first)
  const seen = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const first = group[i]!;
    if (++seen[first]! <= k + 1) {
      if (keptOfGroup[first] === -1) keptOfGroup[first] = m;
      kept[m] = i;
      source[i] = m++;
    } else {
      source[i] = keptOfGroup[first]!;
    }
  }
  const reducedData =
    data instanceof Float32Array ? new Float32Array(m * d) : new Float64Array(m * d);
  for (let r = 0; r < m; r++) reducedData.set(data.subarray(kept[r]! * d, kept[r]! * d + d), r * d);
  return { kept, source, reduced: { data: reducedData, n: m, d } };
}

/** The radius of every original row, from the radii of the plan's kept rows. */
export function expandRadii(plan: DuplicatePlan, reducedRadii: Float64Array): Float64Array {
  const radii = new Float64Array(plan.source.length);
  for (let i = 0; i < radii.length; i++) radii[i] = reducedRadii[plan.source[i]!]!;
  return radii;
}
