import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  blockRanges,
  type BlockJobResult,
  decodeRadii,
  encodeRadii,
  mergeBlocks,
  MergeError,
  reasonOf,
  remoteError,
} from "./jobs.js";
import { BlobMissingError } from "./errors.js";

function results(radii: Float64Array, rows: number): [string, BlockJobResult][] {
  return blockRanges(radii.length, rows).map(([rowA, rowB], block) => [
    `bull:q:f-b${block}`,
    { block, rowA, rowB, radii: encodeRadii(radii.slice(rowA, rowB)), worker: "w", ms: 1 },
  ]);
}

describe("the merge of the blocks' radii", () => {
  it("is the concatenation, bit for bit, whatever the order and however often a block came", () => {
    fc.assert(
      fc.property(
        fc.float64Array({ minLength: 1, maxLength: 200, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer(),
        (values, rows, duplicates, seed) => {
          const radii = Float64Array.from(values);
          const entries = results(radii, rows);
          // at-least-once delivery: some blocks' results twice, under other keys
          for (const d of duplicates) {
            const [key, value] = entries[d % entries.length]!;
            entries.push([`${key}-again${entries.length}`, value]);
          }
          const shuffled = entries.sort(
            (a, b) => ((a[0].length * 31 + seed) % 7) - ((b[0].length * 31 + seed) % 7),
          );
          const merged = mergeBlocks(
            radii.length,
            blockRanges(radii.length, rows).length,
            Object.fromEntries(shuffled),
          );
          expect(Buffer.from(merged.buffer).equals(Buffer.from(radii.buffer))).toBe(true);
        },
      ),
    );
  });

  it("refuses a block that came twice with other bits, a missing block and overlapping rows", () => {
    const radii = Float64Array.from({ length: 10 }, (_, i) => i / 3);
    const entries = results(radii, 4);
    const other = { ...entries[1]![1], radii: encodeRadii(new Float64Array(4).fill(1)) };
    expect(() => mergeBlocks(10, 3, Object.fromEntries([...entries, ["again", other]]))).toThrow(
      /block 1 came twice with different radii/,
    );
    expect(() => mergeBlocks(10, 3, Object.fromEntries(entries.slice(0, 2)))).toThrow(
      /2 of 3 blocks/,
    );
    const shifted = { ...entries[1]![1], rowA: 3, rowB: 7 };
    expect(() =>
      mergeBlocks(10, 3, Object.fromEntries([entries[0]!, ["b1", shifted], entries[2]!])),
    ).toThrow(MergeError);
    expect(() => mergeBlocks(10, 3, { x: { ...entries[0]![1], block: 5 } })).toThrow(
      /block 5 of 3/,
    );
  });

  it("encodes radii exactly, signed zeros and subnormals included", () => {
    const radii = Float64Array.of(0, -0, 5e-324, 1 / 3, Number.MAX_VALUE);
    const back = decodeRadii(encodeRadii(radii));
    expect(Buffer.from(back.buffer).equals(Buffer.from(radii.buffer))).toBe(true);
    expect(() => decodeRadii(Buffer.from([1, 2, 3]).toString("base64"))).toThrow(MergeError);
  });

  it("cuts [0, n) into blocks that tile it", () => {
    expect(blockRanges(10, 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(blockRanges(3, 5)).toEqual([[0, 3]]);
  });
});

describe("a worker's coded error as a job's failed reason", () => {
  it("comes back with its kind and code, and anything else does not", () => {
    const back = remoteError(reasonOf(new BlobMissingError("abc", "/data/blobs")));
    expect(back).toMatchObject({ kind: "unavailable", code: "BLOB_MISSING" });
    expect(back?.message).toMatch(/^a worker failed: the data blob abc is not readable/);
    expect(remoteError("TypeError: x is undefined")).toBeNull();
    expect(remoteError("nonsense/CODE: x")).toBeNull();
  });
});
