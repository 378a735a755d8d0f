/**
 * Fuzzing every parser with fast-check: valid files, then byte mutations of them (flips,
 * truncations, extensions, header edits) and arbitrary bytes. Every outcome must be a typed error
 * or a result consistent with its own shape: no other exception, no hang, no allocation sized by
 * an unchecked header (a header claiming terabytes fails at once, before any allocation).
 * Seeds that once failed are kept below as plain regression cases.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import sharp from "sharp";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileNotFoundError, InvalidFileError } from "../errors.js";
import { readLabels } from "../embeddings/labels.js";
import { loadImageFolder } from "../datasets/image-folder.js";
import { IdxFormatError, decodeIdx, encodeIdx } from "../formats/idx.js";
import { NpyFormatError, decodeNpy, encodeNpy } from "../formats/npy.js";

const RUNS = Number(process.env.LACUNA_FUZZ_RUNS ?? 300);

/** A mutation of a byte array: what a damaged or hostile file looks like. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("flip" as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("extend" as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({
    kind: fc.constant("header" as const),
    at: fc.nat({ max: 127 }),
    text: fc.string({ maxLength: 12 }),
  }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const out = new Uint8Array(bytes);
  switch (m.kind) {
    case "flip":
      if (out.length > 0) out[m.at % out.length] = m.value;
      return out;
    case "truncate":
      return out.subarray(0, out.length === 0 ? 0 : m.at % out.length);
    case "extend": {
      const longer = new Uint8Array(out.length + m.bytes.length);
      longer.set(out);
      longer.set(m.bytes, out.length);
      return longer;
    }
    case "header": {
      const text = new TextEncoder().encode(m.text);
      for (let i = 0; i < text.length && m.at + i < out.length; i++) out[m.at + i] = text[i]!;
      return out;
    }
  }
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Decodes, then checks that a success is self-consistent and a failure is the typed error. */
function checkNpy(bytes: Uint8Array): void {
  let array;
  try {
    array = decodeNpy(bytes);
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(NpyFormatError);
    return;
  }
  expect(array.data.length).toBe(product(array.shape));
}

function checkIdx(bytes: Uint8Array): void {
  let array;
  try {
    array = decodeIdx(bytes);
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(IdxFormatError);
    return;
  }
  expect(array.data.length).toBe(product(array.shape));
}

const shape = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 });

const validNpy = fc.tuple(shape, fc.constantFrom("f4", "f8", "i4")).map(([s, kind]) => {
  const n = product(s);
  const data =
    kind === "f4" ? new Float32Array(n) : kind === "f8" ? new Float64Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = i * 0.5;
  return encodeNpy(data, s);
});

const validIdx = fc
  .tuple(shape, fc.constantFrom("uint8", "int16", "int32", "float32", "float64" as const))
  .map(([s, dtype]) =>
    encodeIdx(
      dtype as "uint8",
      s,
      Array.from({ length: product(s) }, (_, i) => i % 100),
    ),
  );

describe("fuzz: .npy", () => {
  it("decodes valid files exactly", () => {
    fc.assert(
      fc.property(validNpy, (bytes) => {
        checkNpy(bytes);
        expect(decodeNpy(bytes).data.length).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: RUNS },
    );
  });
  it("answers every mutation with a result or an NpyFormatError", () => {
    fc.assert(
      fc.property(validNpy, fc.array(mutation, { minLength: 1, maxLength: 4 }), (bytes, ms) => {
        checkNpy(ms.reduce((b, m) => mutate(b, m), bytes));
      }),
      { numRuns: RUNS * 4 },
    );
  });
  it("answers arbitrary bytes with an NpyFormatError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => checkNpy(bytes)),
      { numRuns: RUNS },
    );
  });
  it("refuses a header claiming far more data than the file holds, before allocating", () => {
    const bytes = encodeNpy(new Float64Array(4), [4]);
    const text = new TextDecoder()
      .decode(bytes.subarray(0, 128))
      .replace("(4,)", "(99999999999,)".slice(0, 4));
    const header = new TextEncoder().encode(text.replace("'shape': (9999,)", "'shape': (9999,)"));
    const forged = new Uint8Array(bytes);
    forged.set(header.subarray(0, Math.min(header.length, 128)));
    for (const claim of ["(1000000000000,)", "(100000, 100000)", "(9007199254740993,)"]) {
      const head = `{'descr': '<f8', 'fortran_order': False, 'shape': ${claim}, }`;
      const padded = head + " ".repeat(117 - head.length) + "\n";
      const file = new Uint8Array(10 + padded.length + 32);
      file.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
      new DataView(file.buffer).setUint16(8, padded.length, true);
      file.set(new TextEncoder().encode(padded), 10);
      const started = performance.now();
      expect(() => decodeNpy(file)).toThrow(NpyFormatError);
      expect(performance.now() - started).toBeLessThan(50);
    }
    checkNpy(forged);
  });
});

describe("fuzz: IDX", () => {
  it("answers every mutation with a result or an IdxFormatError", () => {
    fc.assert(
      fc.property(validIdx, fc.array(mutation, { minLength: 1, maxLength: 4 }), (bytes, ms) => {
        checkIdx(ms.reduce((b, m) => mutate(b, m), bytes));
      }),
      { numRuns: RUNS * 4 },
    );
  });
  it("answers arbitrary bytes with an IdxFormatError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => checkIdx(bytes)),
      { numRuns: RUNS },
    );
  });
  it("refuses dimensions claiming more than the file holds, before allocating", () => {
    // uint8, 3 dimensions of 2^31 - 1 each, and 8 bytes of data
    const file = new Uint8Array([
      0, 0, 8, 3, 127, 255, 255, 255, 127, 255, 255, 255, 127, 255, 255, 255, 1, 2, 3, 4, 5, 6, 7,
      8,
    ]);
    expect(() => decodeIdx(file)).toThrow(IdxFormatError);
  });
});

describe("fuzz: labels files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lacuna-fuzz-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function checkLabels(name: string, content: string | Uint8Array): Promise<void> {
    const path = join(dir, name);
    await writeFile(path, content);
    let result;
    try {
      result = await readLabels(path);
    } catch (error) {
      expect(
        error instanceof InvalidFileError || error instanceof FileNotFoundError,
        String(error),
      ).toBe(true);
      return;
    }
    expect(result.labels.length).toBeGreaterThan(0);
    for (const label of result.labels)
      expect(label >= 0 && label < result.classNames.length).toBe(true);
  }

  it("answers any JSON with labels or an InvalidFileError", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) =>
        checkLabels("labels.json", JSON.stringify(value)),
      ),
      { numRuns: RUNS },
    );
  });
  it("answers damaged JSON and .npy labels with an InvalidFileError", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), async (text) =>
        checkLabels("broken.json", text),
      ),
      { numRuns: RUNS },
    );
    const valid = encodeNpy(Int32Array.from([0, 1, 2, 1]), [4]);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) =>
        checkLabels(
          "labels.npy",
          ms.reduce((b, m) => mutate(b, m), valid),
        ),
      ),
      { numRuns: RUNS },
    );
  });

  // regression cases: each once crashed or hung a parser
  it.each([
    ["a huge class index (allocated a billion class names)", "[0, 1000000000]"],
    ["an integer beyond int32 (wrapped to a negative label)", "[0, 4294967297]"],
    [
      "a very long array (Math.max(...spread) overflowed the stack)",
      JSON.stringify(Array.from({ length: 200_000 }, (_, i) => i % 10)),
    ],
  ])("%s", async (_, content) => {
    await checkLabels("regression.json", content);
  });
});

describe("fuzz: image folders", () => {
  let dir: string;
  let png: Uint8Array;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lacuna-fuzz-images-"));
    png = new Uint8Array(
      await sharp(
        new Uint8Array(16 * 16).map((_, i) => i),
        { raw: { width: 16, height: 16, channels: 1 } },
      )
        .png()
        .toBuffer(),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("answers damaged PNG files with an InvalidFileError naming the file, or loads them", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        const root = join(dir, `case-${run++}`);
        await mkdir(join(root, "a"), { recursive: true });
        await writeFile(
          join(root, "a", "x.png"),
          ms.reduce((b, m) => mutate(b, m), png),
        );
        try {
          const dataset = await loadImageFolder(root, { imageShape: [28, 28, 1] });
          expect(dataset.pixels.length).toBe(28 * 28);
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(InvalidFileError);
          expect((error as Error).message).toContain("x.png");
        }
      }),
      { numRuns: Math.min(RUNS, 100) },
    );
  });
});
