import { describe, expect, it } from "vitest";
import { createEmbeddings, embeddingsFromRows } from "./embeddings.js";
import { InvalidEmbeddingsError, NonFiniteValueError } from "./errors.js";
import { valueRange } from "./unit-interval.js";

describe("embeddingsFromRows", () => {
  it("packs rows row-major into a Float64Array", () => {
    const e = embeddingsFromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(e.n).toBe(2);
    expect(e.d).toBe(3);
    expect(Array.from(e.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(e.data).toBeInstanceOf(Float64Array);
  });

  it("refuses ragged rows, naming the row and both lengths", () => {
    expect(() => embeddingsFromRows([[0, 1], [0.5], [1, 1]])).toThrow(
      /ragged: row 0 has 2 values but row 1 has 1/,
    );
  });

  it("refuses zero rows and zero columns", () => {
    expect(() => embeddingsFromRows([])).toThrow(InvalidEmbeddingsError);
    expect(() => embeddingsFromRows([[]])).toThrow(/at least one column/);
  });

  it("refuses a 1-D array and a 3-D array", () => {
    expect(() => embeddingsFromRows([1, 2] as unknown as number[][])).toThrow(
      /row 0 is not an array/,
    );
    expect(() => embeddingsFromRows([[[1]]] as unknown as number[][])).toThrow(NonFiniteValueError);
  });

  it("names the row and column of a NaN or infinity", () => {
    expect(() =>
      embeddingsFromRows([
        [0, 0],
        [0, Number.NaN],
      ]),
    ).toThrow("found NaN at row 1, column 1");
    expect(() => embeddingsFromRows([[Infinity, 0]])).toThrow("found Infinity at row 0, column 0");
  });
});

describe("createEmbeddings", () => {
  it("wraps the buffer without copying", () => {
    const data = new Float32Array([0, 1, 0.5, 0.25]);
    const e = createEmbeddings(data, 2, 2);
    expect(e.data).toBe(data);
  });

  it("refuses a length that is not n * d", () => {
    expect(() => createEmbeddings(new Float32Array(5), 2, 3)).toThrow(
      "embeddings data has 5 values, but n x d = 2 x 3 needs 6",
    );
  });

  it("refuses non-positive or fractional shapes", () => {
    expect(() => createEmbeddings(new Float64Array(0), 0, 3)).toThrow(/received n = 0/);
    expect(() => createEmbeddings(new Float64Array(3), 1.5, 2)).toThrow(/received n = 1.5/);
    expect(() => createEmbeddings(new Float64Array(3), 3, 0)).toThrow(/received d = 0/);
  });

  it("refuses other array types", () => {
    expect(() => createEmbeddings([1, 2] as unknown as Float64Array, 1, 2)).toThrow(
      "embeddings data must be a Float32Array or Float64Array; received [object Array]",
    );
  });

  it("finds -Infinity in a Float32Array and reports its position", () => {
    const data = new Float32Array(12);
    data[7] = -Infinity;
    expect(() => createEmbeddings(data, 4, 3)).toThrow("found -Infinity at row 2, column 1");
  });
});

describe("the whole-array checks, in chunks", () => {
  it("finds the first non-finite value past the first chunks, with its row and column", () => {
    const d = 7;
    const n = 40_000; // 280 000 values: five chunks
    for (const bad of [NaN, Infinity, -Infinity]) {
      const data = new Float64Array(n * d).fill(-0);
      data[200_001] = bad;
      data[250_000] = NaN; // a later one is not the one reported
      try {
        createEmbeddings(data, n, d);
        expect.unreachable("a non-finite value was accepted");
      } catch (error) {
        expect(error).toBeInstanceOf(NonFiniteValueError);
        expect(error).toMatchObject({ row: Math.floor(200_001 / d), column: 200_001 % d });
      }
    }
    expect(createEmbeddings(new Float32Array(n * d).fill(1e38), n, d).n).toBe(n);
  });

  it("gives the range of values in any chunk", () => {
    const data = new Float32Array(300_000).fill(0.5);
    data[131_073] = -2;
    data[299_999] = 3;
    expect(valueRange(data)).toEqual({ min: -2, max: 3 });
    expect(valueRange(new Float64Array(0))).toEqual({ min: Infinity, max: -Infinity });
  });
});
