import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidFileError } from "../errors.js";
import { encodeNpy } from "../formats/npy.js";
import { readLabels } from "./labels.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-labels-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe("readLabels", () => {
  it("reads integer .npy labels, one class per label present", async () => {
    const got = await readLabels(
      await file("l.npy", encodeNpy(Int32Array.from([2, 0, 2, 1]), [4])),
      4,
    );
    expect([Array.from(got.labels), got.classNames]).toEqual([
      [2, 0, 2, 1],
      ["0", "1", "2"],
    ]);
  });

  it("reads JSON integers, and JSON names sorted into indices", async () => {
    expect(Array.from((await readLabels(await file("a.json", "[1, 0, 1]"))).labels)).toEqual([
      1, 0, 1,
    ]);
    const named = await readLabels(await file("b.json", '["seven", "two", "seven"]'));
    expect([Array.from(named.labels), named.classNames]).toEqual([
      [0, 1, 0],
      ["seven", "two"],
    ]);
  });

  it("refuses a count mismatch, floats, 2-D arrays, mixed or negative JSON, and bad JSON", async () => {
    await expect(readLabels(await file("c.json", "[1, 2]"), 3)).rejects.toThrow(
      /c\.json: 2 labels for 3 embeddings/,
    );
    await expect(
      readLabels(await file("f.npy", encodeNpy(Float32Array.from([0.5]), [1]))),
    ).rejects.toThrow(/must be integers; the file holds float32/);
    await expect(
      readLabels(await file("m.npy", encodeNpy(Int32Array.from([1, 2]), [1, 2]))),
    ).rejects.toThrow(/1-D array/);
    await expect(readLabels(await file("x.json", '[1, "a"]'))).rejects.toThrow(/mix both/);
    await expect(readLabels(await file("n.json", "[-1]"))).rejects.toThrow(/element 0 is -1/);
    await expect(readLabels(await file("bad.json", "[1,"))).rejects.toThrow(InvalidFileError);
  });

  it("makes one class per label present: a huge label on a few rows is one class, not a million", async () => {
    const values = [...Array<number>(11).fill(0), ...Array<number>(10).fill(1_000_000)];
    for (const path of [
      await file("huge.json", JSON.stringify(values)),
      await file("huge.npy", encodeNpy(Int32Array.from(values), [21])),
    ]) {
      const got = await readLabels(path, 21);
      expect(got.classNames).toEqual(["0", "1000000"]);
      expect(Array.from(got.labels)).toEqual(values.map((v) => (v === 0 ? 0 : 1)));
    }
    const gappy = await readLabels(await file("gappy.json", "[7, 3, 7, 10]"));
    expect([Array.from(gappy.labels), gappy.classNames]).toEqual([
      [1, 0, 1, 2],
      ["3", "7", "10"],
    ]);
  });

  it("refuses labels nested 100 000 deep with an InvalidFileError, not a stack overflow", async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    await expect(readLabels(await file("deep.json", deep))).rejects.toThrow(
      /element 0 is an array/,
    );
  });
});
