#!/usr/bin/env node
/**
 * `node bench/gaps.mjs` (after a build): issue 17's core maths on clustered float32 stand-ins,
 * one thread. Prints each time, and for the cross radii the partitioned search's time over a
 * plain double loop's on the same queries (a ratio, not an assertion).
 *   --ref=20000 --query=5000 --pool=20000 --d=10 --k=20 --budget=100 --percent=0.01
 */
import {
  collect,
  coverage,
  coverageGapRegions,
  createEmbeddings,
  crossCoverage,
  crossCoverageGapRegions,
  crossCriticalValueRadii,
} from "@lacuna/core";
import { clustered } from "./data.mjs";

const opt = Object.fromEntries(
  process.argv
    .slice(2)
    .filter((a) => a.startsWith("--"))
    .map((a) => a.slice(2).split("="))
    .map(([k, v]) => [k, Number(v)]),
);
const nRef = opt.ref ?? 20_000;
const nQuery = opt.query ?? 5_000;
const nPool = opt.pool ?? 20_000;
const d = opt.d ?? 10;
const k = opt.k ?? 20;
const budget = opt.budget ?? 100;
const percent = opt.percent ?? 0.01;

// one distribution for reference, query and pool; a share of the query and pool rows come from
// other cluster centres (seed 2): real gaps to find and to fill
const same = clustered(nRef + nQuery + nPool, d, { seed: 1 });
const other = clustered(nQuery + nPool, d, { seed: 2 });
const ref = createEmbeddings(same.slice(0, nRef * d), nRef, d);
function mixed(n, offset, share) {
  const data = same.slice((nRef + offset) * d, (nRef + offset + n) * d);
  for (let i = 0; i < n; i += Math.round(1 / share)) {
    data.set(other.subarray((offset + i) * d, (offset + i + 1) * d), i * d);
  }
  return createEmbeddings(data, n, d);
}
const query = mixed(nQuery, 0, 0.05);
const pool = mixed(nPool, nQuery, 0.05);

function time(label, f) {
  const t0 = process.hrtime.bigint();
  const out = f();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label.padEnd(52)} ${s.toFixed(2)} s`);
  return { out, s };
}

/** Plain double loop for the first m queries: the brute-force baseline of the cross radii. */
function bruteRadii(m) {
  const r = Float64Array.from(ref.data);
  const q = Float64Array.from(query.data);
  const row = new Float64Array(nRef);
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < nRef; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = q[i * d + t] - r[j * d + t];
        s += diff * diff;
      }
      row[j] = s;
    }
    out[i] = Math.sqrt(row.sort()[k - 1]);
  }
  return out;
}

console.log(
  `reference ${nRef} x ${d}, query ${nQuery}, pool ${nPool}, k ${k}, percent ${percent}, budget ${budget}; node ${process.version}\n`,
);
const cross = time("crossCriticalValueRadii", () => crossCriticalValueRadii(ref, query, k));
const m = Math.min(nQuery, 500);
const brute = time(`double loop, first ${m} queries`, () => bruteRadii(m));
for (let i = 0; i < m; i++) {
  if (brute.out[i] !== cross.out[i]) throw new Error(`query ${i}: radii differ`);
}
console.log(
  `  partitioned / double loop (per query): ${(cross.s / nQuery / (brute.s / m)).toFixed(3)}\n`,
);
const cc = time("crossCoverage (reference coverage + cross radii)", () =>
  crossCoverage(ref, query, { k, percent }),
).out;
const cg = time("crossCoverageGapRegions", () => crossCoverageGapRegions(cc)).out;
console.log(
  `  ${cc.uncoveredIndices.length} query rows uncovered, ${cg.regions.length} regions, largest ${cg.regions[0]?.size ?? 0}`,
);
const plain = coverage(ref, k, "adaptive", percent);
const pg = time("coverageGapRegions (reference)", () => coverageGapRegions(ref, plain, k)).out;
console.log(`  ${plain.uncoveredIndices.length} flagged, ${pg.regions.length} regions`);
const c = time("collect (coverage, deficits, greedy, recomputed)", () =>
  collect(ref, pool, budget, { k, percent }),
).out;
console.log(
  `  ${c.selected.length} picked, deficit ${c.deficitBefore} -> ${c.deficitAfter}, resolved ${c.recomputed.resolved} (at R: ${c.recomputed.resolvedAtReferenceRadius}) of ${c.uncoveredIndices.length}`,
);
