import { escapeTerminal } from "./terminal.js";
import type { GapRegion, GapRegions } from "@lacuna/core";

/** A gap region as JSON: members as rows of the measured set (or their dataset indices). */
export interface GapRegionJson {
  readonly id: number;
  readonly size: number;
  readonly deficit: number;
  readonly medoid: number;
  readonly members: number[];
  readonly classMix: { readonly label: number; readonly count: number }[];
}

/** The regions for `--json`; `indices` maps rows to dataset indices when given. */
export function gapRegionsJson(gaps: GapRegions, indices?: Int32Array): GapRegionJson[] {
  const at = (row: number): number => (indices ? indices[row]! : row);
  return gaps.regions.map((r: GapRegion) => ({
    id: r.id,
    size: r.size,
    deficit: r.deficit,
    medoid: at(r.medoid),
    members: Array.from(r.members, at),
    classMix: r.classMix.map((c) => ({ label: c.label, count: c.count })),
  }));
}

/** How many regions the table lists before summarising the rest. */
const REGION_ROWS = 10;

/**
 * The gap regions as a table: id, size, deficit, medoid (a typical image) and class mix, largest
 * deficit first. `leftOut` flagged samples that the regions did not take (the table's cap, see
 * gap-step.ts) are said under the heading, with how to get them all.
 */
export function gapRegionsTable(
  gaps: GapRegions,
  classNames?: readonly string[],
  indices?: Int32Array,
  leftOut = 0,
): string {
  if (gaps.regions.length === 0) return "No gap regions (nothing flagged).";
  const taken = gaps.regionOf.length;
  const lines = [
    `Gap regions (flagged samples within ${gaps.linkDistance.toPrecision(4)} of each other)`,
    ...(leftOut > 0
      ? [
          `Only the ${taken} least-covered flagged samples are grouped here: ${leftOut} more were left out (--json --gaps groups all ${taken + leftOut}).`,
        ]
      : []),
    `${"region".padStart(6)}  ${"size".padStart(5)}  ${"deficit".padStart(7)}  ${"medoid".padStart(6)}  classes`,
  ];
  for (const r of gaps.regions.slice(0, REGION_ROWS)) {
    const mix = r.classMix
      .slice(0, 4)
      .map((c) => `${escapeTerminal(classNames?.[c.label] ?? String(c.label))} x${c.count}`)
      .join(", ");
    const medoid = indices ? indices[r.medoid]! : r.medoid;
    lines.push(
      `${String(r.id).padStart(6)}  ${String(r.size).padStart(5)}  ${String(r.deficit).padStart(7)}  ${String(medoid).padStart(6)}  ${mix || "-"}`,
    );
  }
  if (gaps.regions.length > REGION_ROWS) {
    lines.push(`… and ${gaps.regions.length - REGION_ROWS} more regions (--json --gaps lists all)`);
  }
  return lines.join("\n");
}
