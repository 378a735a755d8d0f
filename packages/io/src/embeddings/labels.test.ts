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
  it("reads integer .npy labels, class names 0 to max", async () => {
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
});
