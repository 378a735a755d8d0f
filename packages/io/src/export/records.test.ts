import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type FlaggedSampleRow, flaggedSampleRows, isLacunaError } from "@lacuna/core";
import {
  CSV_COLUMNS,
  type ExportRecord,
  collectExportRecords,
  exportFormatOf,
  flaggedExportRecords,
  formatCsv,
  formatJsonLines,
  formatLabelStudio,
} from "./records.js";
import { writeExportFile } from "./export-file.js";

// strings a CSV writer gets wrong when it does not quote: commas, quotes, line breaks, unicode
const awkward = fc.oneof(
  fc.string(),
  fc.constantFrom("a,b", 'say "hi"', "line\nbreak", "cr\r\nlf", " lead", "ümlaut ✓", ""),
);
const record: fc.Arbitrary<ExportRecord> = fc.record({
  index: fc.nat(),
  source: awkward,
  sourceIndex: fc.nat(),
  label: fc.option(fc.nat(), { nil: null }),
  labelName: fc.option(awkward, { nil: null }),
  radius: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
  rank: fc.integer({ min: 1 }),
  region: fc.option(fc.nat(), { nil: null }),
  neighbours: fc.array(fc.nat(), { maxLength: 5 }),
  neighbourDistances: fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { maxLength: 5 }),
  image: fc.option(awkward, { nil: null }),
  why: awkward,
});

describe("formatCsv", () => {
  it("parses back to the same fields with an independent RFC 4180 parser", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), (records) => {
        const rows = parse(formatCsv(records), { columns: true, relax_quotes: false }) as Record<
          string,
          string
        >[];
        if (records.length === 0) return; // csv-stringify writes the header only
        expect(rows).toHaveLength(records.length);
        rows.forEach((row, t) => {
          const r = records[t]!;
          expect(Object.keys(row)).toEqual([...CSV_COLUMNS]);
          expect(row.index).toBe(String(r.index));
          expect(row.source).toBe(r.source);
          expect(row.label).toBe(r.label === null ? "" : String(r.label));
          expect(row.label_name).toBe(r.labelName ?? "");
          expect(row.radius === "" ? null : Number(row.radius)).toBe(
            r.radius === null ? null : r.radius === 0 ? 0 : r.radius,
          );
          expect(row.neighbours).toBe(r.neighbours.join(" "));
          expect(row.image).toBe(r.image ?? "");
          expect(row.why).toBe(r.why);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("writes the header line first", () => {
    expect(formatCsv([]).split("\n")[0]).toBe(CSV_COLUMNS.join(","));
  });
});

describe("formatJsonLines", () => {
  it("is one JSON object per line, equal to its record", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), (records) => {
        const text = formatJsonLines(records);
        const lines = text.split("\n");
        expect(lines.pop()).toBe(""); // every line ends in "\n"
        expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(
          records.map((r) => JSON.parse(JSON.stringify(r)) as unknown),
        );
      }),
    );
  });
});

/**
 * Label Studio's documented import format (labelstud.io/guide/tasks, "Basic Label Studio JSON
 * format"): a JSON array of tasks; each an object with a `data` object of plain values (what the
 * labelling config's `$name` variables read) and optionally `meta` (an object), `annotations`
 * and `predictions` (arrays). Anything else in a task is refused by the importer.
 */
function labelStudioProblems(json: unknown): string[] {
  if (!Array.isArray(json)) return ["not an array"];
  const problems: string[] = [];
  json.forEach((task: unknown, t) => {
    if (typeof task !== "object" || task === null || Array.isArray(task)) {
      problems.push(`task ${t} is not an object`);
      return;
    }
    const allowed = new Set(["data", "meta", "annotations", "predictions", "id"]);
    for (const key of Object.keys(task)) if (!allowed.has(key)) problems.push(`task ${t}: ${key}`);
    const { data, meta } = task as { data?: unknown; meta?: unknown };
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      problems.push(`task ${t}: data is not an object`);
    } else {
      for (const [key, value] of Object.entries(data)) {
        if (value !== null && typeof value === "object") problems.push(`task ${t}: data.${key}`);
      }
      if (!("image" in data)) problems.push(`task ${t}: no data.image`);
    }
    if (meta !== undefined && (typeof meta !== "object" || meta === null)) {
      problems.push(`task ${t}: meta is not an object`);
    }
  });
  return problems;
}

describe("formatLabelStudio", () => {
  it("is an import file of Label Studio's documented shape", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 8 }), (records) => {
        const json = JSON.parse(formatLabelStudio(records)) as unknown;
        expect(labelStudioProblems(json)).toEqual([]);
        const tasks = json as { data: { image: unknown; why: unknown; index: unknown } }[];
        tasks.forEach((task, t) => {
          expect(task.data.image).toBe(records[t]!.image);
          expect(task.data.why).toBe(records[t]!.why);
          expect(task.data.index).toBe(records[t]!.sourceIndex);
        });
      }),
    );
  });

  it("the shape check fails on a broken file", () => {
    expect(labelStudioProblems({ data: {} })).toEqual(["not an array"]);
    expect(labelStudioProblems([{ image: "x" }])).toEqual([
      "task 0: image",
      "task 0: data is not an object",
    ]);
  });
});

describe("flaggedExportRecords", () => {
  const radii = Float64Array.from([0.1, 0.5, 0.3, 0.9]);
  const rows: FlaggedSampleRow[] = flaggedSampleRows({
    flagged: Int32Array.from([3, 1]),
    radii,
    labels: [0, 1, 0, 2],
    regionOf: Int32Array.from([0, 1]),
    neighbours: {
      n: 2,
      k: 1,
      indices: Int32Array.from([2, 0]),
      distances: Float64Array.from([0.4, 0.2]),
    },
  });

  it("maps rows and neighbours to dataset indices, names classes, fills the image template", () => {
    const records = flaggedExportRecords(rows, {
      source: "mnist:test",
      sourceIndices: [10, 11, 12, 13],
      neighbourSourceIndices: [100, 101, 102],
      classNames: ["zero", "one", "two"],
      imageTemplate: "http://h/images/{source}/{index}.png?row={row}",
      coverageRadius: 0.4,
    });
    expect(records.map((r) => [r.index, r.sourceIndex, r.labelName, r.rank, r.region])).toEqual([
      [3, 13, "two", 1, 0],
      [1, 11, "one", 2, 1],
    ]);
    expect(records[0]!.neighbours).toEqual([102]);
    expect(records[0]!.image).toBe("http://h/images/mnist%3Atest/13.png?row=3");
    expect(records[0]!.why).toBe(
      "radius 0.900000 > coverage radius 0.400000 (rank 1); gap region 0",
    );
  });

  it("refuses a row outside the source indices with a coded error", () => {
    expect(() => flaggedExportRecords(rows, { source: "s", sourceIndices: [0, 1] })).toThrow(
      /row must be a row below 2/,
    );
  });
});

describe("collectExportRecords", () => {
  it("lists the picks in order with their gains", () => {
    const records = collectExportRecords(
      { selected: [4, 0], gains: [3, 1], labels: [7, 7, 7, 7, 5] },
      { source: "pool.npy" },
    );
    expect(records.map((r) => [r.index, r.rank, r.label, r.radius])).toEqual([
      [4, 1, 5, null],
      [0, 2, 7, null],
    ]);
    expect(records[1]!.why).toBe("pick 2: reduces the reference's coverage deficit by 1");
  });
});

describe("exportFormatOf", () => {
  it("reads the extension, or the explicit format", () => {
    expect(exportFormatOf("a.CSV")).toBe("csv");
    expect(exportFormatOf("a.jsonl")).toBe("jsonl");
    expect(exportFormatOf("a.ndjson")).toBe("jsonl");
    expect(exportFormatOf("a.json")).toBe("label-studio");
    expect(exportFormatOf("a.txt", "csv")).toBe("csv");
  });
  it("refuses what it cannot tell, as a coded input error", () => {
    for (const call of [() => exportFormatOf("a.txt"), () => exportFormatOf("a.csv", "xml")]) {
      try {
        call();
        expect.unreachable();
      } catch (error) {
        expect(isLacunaError(error) && error.kind).toBe("input");
      }
    }
  });
});

describe("writeExportFile", () => {
  it("writes the file, or fails with FILE_WRITE_FAILED and leaves nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lacuna-export-"));
    const records = collectExportRecords({ selected: [1], gains: [2] }, { source: "p" });
    await writeExportFile(join(dir, "out.jsonl"), records, "jsonl");
    expect(await readFile(join(dir, "out.jsonl"), "utf8")).toBe(formatJsonLines(records));
    await expect(writeExportFile(join(dir, "no", "x.csv"), records, "csv")).rejects.toMatchObject({
      code: "FILE_WRITE_FAILED",
    });
    expect(await readdir(dir)).toEqual(["out.jsonl"]);
  });
});
