import { escapeTerminal, widest } from "./terminal.js";
import type { ClassCoverageRow, CoverageMethod, CoverageResult } from "@lacuna/core";
import type { GapRegionJson } from "./gap-report.js";

export interface CoverageReportInput {
  readonly source: string;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  readonly percent: number;
  readonly method: CoverageMethod;
  readonly result: CoverageResult;
  readonly seconds: number;
  /** Per-sample labels and class names, to show each uncovered sample's class. */
  readonly labels?: { readonly labels: Int32Array; readonly classNames: readonly string[] };
  /** Dataset index of each row (for a dataset's selection); the table shows these. */
  readonly indices?: Int32Array;
}

/**
 * DataEval's output fields, as plain JSON (the interface other tools read); with `perClass`, its
 * per-class rows too, `class` given as the class name (DataEval's class names are strings: "3" for
 * label 3, the label itself for named labels).
 */
export function coverageJson(
  result: CoverageResult,
  perClass?: { readonly rows: readonly ClassCoverageRow[]; readonly classNames: readonly string[] },
  gapRegions?: readonly GapRegionJson[],
): string {
  return JSON.stringify({
    coverageRadius: result.coverageRadius,
    uncoveredIndices: Array.from(result.uncoveredIndices),
    criticalValueRadii: Array.from(result.criticalValueRadii),
    ...(perClass
      ? {
          perClass: perClass.rows.map((row) => ({
            ...row,
            class: perClass.classNames[row.class] ?? String(row.class),
          })),
        }
      : {}),
    ...(gapRegions ? { gapRegions } : {}),
  });
}

function cell(value: number | null, digits = 4): string {
  return value === null ? "-" : value.toFixed(digits);
}

/** The per-class rows as a table, DataEval's order, with the class names. */
export function perClassTable(
  rows: readonly ClassCoverageRow[],
  classNames: readonly string[],
): string {
  const names = rows.map((r) => escapeTerminal(classNames[r.class] ?? String(r.class)));
  const w = widest(names, 5);
  const lines = [
    `${"class".padEnd(w)}  ${"count".padStart(6)}  ${"uncovered".padStart(9)}  ${"fraction".padStart(8)}  ${"dispersion".padStart(10)}  ${"isotropy".padStart(8)}  ${"near-dup".padStart(8)}`,
  ];
  rows.forEach((r, i) => {
    lines.push(
      `${names[i]!.padEnd(w)}  ${String(r.count).padStart(6)}  ${String(r.uncovered).padStart(9)}  ${cell(r.uncoveredFraction).padStart(8)}  ${cell(r.dispersion).padStart(10)}  ${cell(r.isotropy).padStart(8)}  ${cell(r.nearDuplicateFraction).padStart(8)}${r.assessable ? "" : "  (too few samples to assess)"}`,
    );
  });
  return lines.join("\n");
}

/** How many uncovered samples the table lists before summarising the rest. */
const TABLE_ROWS = 20;

/** A readable summary: the parameters, the coverage radius and a table of the least-covered samples. */
export function coverageTable(input: CoverageReportInput): string {
  const { result, method } = input;
  const unc = result.uncoveredIndices;
  const lines = [
    `Coverage of ${input.source}`,
    `  samples ${input.n}, dimensions ${input.d}, k ${input.k}, method ${method}` +
      (method === "adaptive" ? `, percent ${input.percent}` : ""),
    `  coverage radius ${result.coverageRadius.toPrecision(6)}`,
    `  uncovered ${unc.length} of ${input.n} (${((100 * unc.length) / input.n).toFixed(2)} %)`,
    `  computed in ${input.seconds.toFixed(2)} s`,
    "",
  ];
  if (unc.length === 0) {
    lines.push("No sample's critical value radius exceeds the coverage radius.");
    return lines.join("\n");
  }
  const shown = Math.min(unc.length, TABLE_ROWS);
  const rankWidth = Math.max(4, String(shown).length);
  const indexWidth = Math.max(5, String(input.n - 1).length);
  const named = input.labels;
  // only the shown rows' names: the table's width must not depend on every class there is
  const shownNames: string[] = [];
  for (let t = 0; t < shown && named; t++)
    shownNames.push(escapeTerminal(named.classNames[named.labels[unc[t]!]!] ?? "?"));
  const labelWidth = named ? widest(shownNames, 5) : 0;
  const labelHead = named ? `  ${"label".padEnd(labelWidth)}` : "";
  lines.push(`${"rank".padStart(rankWidth)}  ${"index".padStart(indexWidth)}${labelHead}  radius`);
  for (let t = 0; t < shown; t++) {
    const i = unc[t]!;
    const label = named ? `  ${shownNames[t]!.padEnd(labelWidth)}` : "";
    lines.push(
      `${String(t + 1).padStart(rankWidth)}  ${String(input.indices ? input.indices[i]! : i).padStart(indexWidth)}${label}  ${result.criticalValueRadii[i]!.toPrecision(6)}`,
    );
  }
  if (unc.length > shown) lines.push(`… and ${unc.length - shown} more (--json lists all)`);
  return lines.join("\n");
}
