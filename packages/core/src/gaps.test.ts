import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverage } from "./coverage.js";
import { crossCoverage } from "./cross-coverage.js";
import { crossDeficits, selfDeficits } from "./deficits.js";
import { type Embeddings, embeddingsFromRows } from "./embeddings.js";
import { InvalidParameterError } from "./errors.js";
import { coverageGapRegions, crossCoverageGapRegions, gapRegions } from "./gaps.js";
import { bruteDeficit, dist, twoSets } from "./test-support/brute.js";
import { embeddingsWithDuplicates, random } from "./test-support/random.js";

interface BruteRegion {
  members: number[];
  medoid: number;
  deficit: number;
  classMix: { label: number; count: number }[];
}

/** Regions from the definition: components of "distance <= link" over all flagged pairs. */
function bruteRegions(
  e: Embeddings,
  flagged: number[],
  deficitOf: Map<number, number>,
  link: number,
  labels?: number[],
): BruteRegion[] {
  const seen = new Set<number>();
  const regions: BruteRegion[] = [];
  for (const start of flagged) {
    if (seen.has(start)) continue;
    const members = [start];
    seen.add(start);
    for (let h = 0; h < members.length; h++) {
      for (const other of flagged) {
        if (!seen.has(other) && dist(e, members[h]!, e, other) <= link) {
          seen.add(other);
          members.push(other);
        }
      }
    }
    members.sort((a, b) => a - b);
    let medoid = -1;
    let best = Infinity;
    for (const i of members) {
      let sum = 0;
      for (const j of members) if (j !== i) sum += dist(e, i, e, j);
      if (sum < best) {
        best = sum;
        medoid = i;
      }
    }
    const counts = new Map<number, number>();
    for (const i of members)
      counts.set(labels?.[i] ?? -1, (counts.get(labels?.[i] ?? -1) ?? 0) + 1);
    regions.push({
      members,
      medoid,
      deficit: members.reduce((s, i) => s + deficitOf.get(i)!, 0),
      classMix:
        labels === undefined
          ? []
          : [...counts]
              .map(([label, count]) => ({ label, count }))
              .sort((a, b) => b.count - a.count || a.label - b.label),
    });
  }
  return regions.sort(
    (a, b) =>
      b.deficit - a.deficit || b.members.length - a.members.length || a.members[0]! - b.members[0]!,
  );
}

function shape(
  regions: readonly {
    members: ArrayLike<number>;
    medoid: number;
    deficit: number;
    classMix: readonly { label: number; count: number }[];
  }[],
) {
  return regions.map((r) => ({
    members: Array.from(r.members),
    medoid: r.medoid,
    deficit: r.deficit,
    classMix: r.classMix.map((c) => ({ label: c.label, count: c.count })),
  }));
}

const withDuplicates = embeddingsWithDuplicates({ maxN: 150, maxD: 6 });

describe("gap regions of a plain coverage", () => {
  it("equal the brute-force components, medoids, deficits and class mix", () => {
    fc.assert(
      fc.property(
        withDuplicates,
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0.02, max: 0.6, noNaN: true }),
        fc.constantFrom(1, 2, 3.5),
        fc.constantFrom("adaptive" as const, "naive" as const),
        fc.integer(),
        (e, kRaw, percent, linkFactor, method, labelSeed) => {
          const k = 1 + (kRaw % (e.n - 1));
          const cov = coverage(e, k, method, percent);
          const rand = random(labelSeed);
          const labels = Array.from({ length: e.n }, () => Math.floor(rand() * 3));
          const result = coverageGapRegions(e, cov, k, { labels, linkFactor });
          const flagged = Array.from(cov.uncoveredIndices);
          const R = cov.coverageRadius;
          const deficitOf = new Map(flagged.map((u) => [u, bruteDeficit(e, u, e, R, k, true)]));
          const expected = bruteRegions(e, flagged, deficitOf, linkFactor * R, labels);
          expect(shape(result.regions)).toEqual(expected);
          expect(result.regions.map((r) => r.id)).toEqual(expected.map((_, id) => id));
          flagged.forEach((u, t) => {
            expect(Array.from(result.regions[result.regionOf[t]!]!.members)).toContain(u);
          });
        },
      ),
      { numRuns: 120 },
    );
  });

  it("do not depend on the order the flagged samples are given in", () => {
    fc.assert(
      fc.property(withDuplicates, fc.integer(), (e, seed) => {
        const cov = coverage(e, 1, "adaptive", 0.5);
        const flagged = cov.uncoveredIndices;
        const rand = random(seed);
        const perm = Int32Array.from(flagged).sort((a, b) => (rand() < 0.5 ? a - b : b - a));
        const deficits = selfDeficits(e, flagged, cov.coverageRadius, 1);
        const permDeficits = selfDeficits(e, perm, cov.coverageRadius, 1);
        expect(shape(gapRegions(e, perm, cov.coverageRadius, permDeficits).regions)).toEqual(
          shape(gapRegions(e, flagged, cov.coverageRadius, deficits).regions),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("join two samples at exactly the link distance and part them just beyond it", () => {
    const e = embeddingsFromRows([[0], [0.5], [1]]);
    const one = Int32Array.of(1, 1, 1);
    const joined = gapRegions(e, Int32Array.of(0, 1, 2), 0.25, one);
    expect(joined.regions.map((r) => Array.from(r.members))).toEqual([[0, 1, 2]]);
    expect(joined.regions[0]!.medoid).toBe(1);
    expect(joined.regions[0]!.deficit).toBe(3);
    const apart = gapRegions(e, Int32Array.of(0, 1, 2), 0.2499, one);
    expect(apart.regions.map((r) => Array.from(r.members))).toEqual([[0], [1], [2]]);
  });

  it("refuse bad input with what was wrong", () => {
    const e = embeddingsFromRows([[0], [1]]);
    const d1 = Int32Array.of(1);
    expect(() => gapRegions(e, Int32Array.of(2), 1, d1)).toThrow(
      "flagged[0] must be an index in [0, 2); received 2",
    );
    expect(() => gapRegions(e, Int32Array.of(0, 0), 1, Int32Array.of(1, 1))).toThrow(
      "flagged[1] must be an index not already listed; received 0",
    );
    expect(() => gapRegions(e, Int32Array.of(0), -1, d1)).toThrow(InvalidParameterError);
    expect(() => gapRegions(e, Int32Array.of(0), 1, d1, { linkFactor: 0 })).toThrow(
      "linkFactor must be a finite number > 0; received 0",
    );
    expect(() => gapRegions(e, Int32Array.of(0), 1, Int32Array.of(1, 2))).toThrow(
      "deficits.length must be 1, one Int32 deficit per flagged sample; received 2",
    );
    expect(() => gapRegions(e, Int32Array.of(0), 1, d1, { labels: [0] })).toThrow(
      "labels.length must be 2, one label per sample; received 1",
    );
  });
});

describe("gap regions of a cross coverage", () => {
  it("group flagged query rows, with deficits against the reference", () => {
    fc.assert(
      fc.property(
        twoSets({ maxN: 120, maxD: 5 }),
        fc.integer({ min: 1, max: 10 }),
        ({ a, b }, kRaw) => {
          const k = 1 + (kRaw % (a.n - 1));
          const cross = crossCoverage(a, b, { k, percent: 0.1 });
          const result = crossCoverageGapRegions(cross);
          const flagged = Array.from(cross.uncoveredIndices);
          const R = cross.coverageRadius;
          const deficitOf = new Map(flagged.map((q) => [q, bruteDeficit(b, q, a, R, k, false)]));
          for (const q of flagged) expect(deficitOf.get(q)).toBeGreaterThanOrEqual(1);
          expect(shape(result.regions)).toEqual(bruteRegions(b, flagged, deficitOf, 2 * R));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("crossDeficits count every reference row within the radius, capped at k", () => {
    const ref = embeddingsFromRows([[0], [0.1], [0.1], [0.3]]);
    const query = embeddingsFromRows([[0.1], [0.9]]);
    expect(Array.from(crossDeficits(ref, query, Int32Array.of(0, 1), 0.1, 2))).toEqual([0, 2]);
    expect(Array.from(crossDeficits(ref, query, Int32Array.of(0, 1), 0.1, 5))).toEqual([2, 5]);
    expect(Array.from(selfDeficits(ref, Int32Array.of(1, 3), 0.1, 3))).toEqual([1, 3]);
  });
});
