import { InvalidParameterError } from "./errors.js";

/** The greedy's picks and what is left of each deficit. */
export interface GreedyPicks {
  /** Candidates in pick order. */
  readonly selected: Int32Array;
  /** gains[t] = the total reduction of pick t, at the moment it was picked (non-increasing). */
  readonly gains: Int32Array;
  /** Each target's deficit after the picks. */
  readonly remaining: Int32Array;
}

/**
 * Greedy deficit reduction over a bipartite "candidate reaches target" relation: candidate p
 * reaches targets[start[p] .. start[p + 1]) (no target twice per candidate); picking p reduces
 * each reached target's remaining deficit by one, not below zero. Each step picks the candidate
 * with the largest total reduction given the picks so far, ties to the lower candidate index, and
 * stops after `budget` picks or when no candidate reduces anything.
 *
 * Lazy: candidates sit in a max-heap under their last computed gain. A gain can only fall as
 * deficits shrink (the objective is submodular), so a stale gain is an upper bound; the top is
 * recomputed, and picked when its gain is unchanged (every other gain is at most its stale value,
 * and any equal one ranks below it by index), else pushed back with its new gain. Same picks as
 * the plain greedy, at a fraction of its recomputations. O((P + E log P)) typically, for P
 * candidates and E reach pairs; memory O(P + targets).
 * @throws InvalidParameterError for a budget that is not an integer >= 0, deficits below 0,
 *   or a relation whose offsets or targets are out of range
 */
export function greedyDeficitReduction(
  deficits: Int32Array,
  start: Int32Array,
  targets: Int32Array,
  budget: number,
): GreedyPicks {
  validateRelation(deficits, start, targets, budget);
  const candidates = start.length - 1;
  const remaining = deficits.slice();
  const heap = new CandidateHeap(candidates);
  for (let p = 0; p < candidates; p++) {
    const g = gainOf(p, start, targets, remaining);
    if (g > 0) heap.push(g, p);
  }
  const selected: number[] = [];
  const gains: number[] = [];
  while (selected.length < budget && heap.size > 0) {
    const stale = heap.topGain();
    const p = heap.pop();
    const g = gainOf(p, start, targets, remaining);
    if (g === 0) continue;
    if (g < stale) {
      heap.push(g, p);
      continue;
    }
    selected.push(p);
    gains.push(g);
    for (let e = start[p]!; e < start[p + 1]!; e++) {
      const u = targets[e]!;
      if (remaining[u]! > 0) remaining[u] = remaining[u]! - 1;
    }
  }
  return { selected: Int32Array.from(selected), gains: Int32Array.from(gains), remaining };
}

function gainOf(p: number, start: Int32Array, targets: Int32Array, remaining: Int32Array): number {
  let g = 0;
  for (let e = start[p]!; e < start[p + 1]!; e++) if (remaining[targets[e]!]! > 0) g++;
  return g;
}

function validateRelation(
  deficits: Int32Array,
  start: Int32Array,
  targets: Int32Array,
  budget: number,
): void {
  if (typeof budget !== "number" || !Number.isSafeInteger(budget) || budget < 0) {
    throw new InvalidParameterError("budget", budget, "an integer >= 0");
  }
  for (let t = 0; t < deficits.length; t++) {
    if (deficits[t]! < 0)
      throw new InvalidParameterError(`deficits[${t}]`, deficits[t], "an integer >= 0");
  }
  if (start.length < 1 || start[0] !== 0 || start[start.length - 1] !== targets.length) {
    throw new InvalidParameterError(
      "start",
      `offsets from ${start[0]} to ${start[start.length - 1]}`,
      `offsets from 0 to targets.length = ${targets.length}`,
    );
  }
  for (let p = 0; p + 1 < start.length; p++) {
    if (start[p + 1]! < start[p]!) {
      throw new InvalidParameterError(
        `start[${p + 1}]`,
        start[p + 1],
        `at least start[${p}] = ${start[p]}`,
      );
    }
  }
  for (let e = 0; e < targets.length; e++) {
    const u = targets[e]!;
    if (u < 0 || u >= deficits.length) {
      throw new InvalidParameterError(`targets[${e}]`, u, `a target in [0, ${deficits.length})`);
    }
  }
}

/**
 * A binary max-heap of (gain, candidate) in two typed arrays, ordered by gain descending, then
 * candidate ascending. Hand-written rather than an npm priority queue: core's dependencies stay
 * numeric libraries, and typed arrays allocate nothing per entry.
 */
class CandidateHeap {
  private readonly gain: Int32Array;
  private readonly id: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.gain = new Int32Array(Math.max(1, capacity));
    this.id = new Int32Array(Math.max(1, capacity));
  }

  topGain(): number {
    return this.gain[0]!;
  }

  push(g: number, p: number): void {
    let c = this.size++;
    while (c > 0) {
      const parent = (c - 1) >> 1;
      if (!this.above(g, p, this.gain[parent]!, this.id[parent]!)) break;
      this.gain[c] = this.gain[parent]!;
      this.id[c] = this.id[parent]!;
      c = parent;
    }
    this.gain[c] = g;
    this.id[c] = p;
  }

  /** Removes and returns the top candidate. */
  pop(): number {
    const top = this.id[0]!;
    const last = --this.size;
    const g = this.gain[last]!;
    const p = this.id[last]!;
    let c = 0;
    for (;;) {
      const left = 2 * c + 1;
      if (left >= last) break;
      let child = left;
      const right = left + 1;
      if (
        right < last &&
        this.above(this.gain[right]!, this.id[right]!, this.gain[left]!, this.id[left]!)
      ) {
        child = right;
      }
      if (!this.above(this.gain[child]!, this.id[child]!, g, p)) break;
      this.gain[c] = this.gain[child]!;
      this.id[c] = this.id[child]!;
      c = child;
    }
    this.gain[c] = g;
    this.id[c] = p;
    return top;
  }

  /** (ga, pa) ranks before (gb, pb). */
  private above(ga: number, pa: number, gb: number, pb: number): boolean {
    return ga > gb || (ga === gb && pa < pb);
  }
}
