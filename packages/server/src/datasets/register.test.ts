import { coverageNaive } from "@lacuna/core";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeIdx } from "@lacuna/io";
import { encodeNpy } from "@lacuna/io";
import { type Harness, createHarness } from "../testing/harness.js";

let root: string;
let outside: string;
let h: Harness;

const n = 120;
const d = 3;
const values = new Float32Array(n * d);
for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 1000) / 1000;
const labels = Int32Array.from({ length: n }, (_, i) => i % 3);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lacuna-root-"));
  outside = await mkdtemp(join(tmpdir(), "lacuna-outside-"));
  await writeFile(join(root, "codes.npy"), encodeNpy(values, [n, d]));
  await writeFile(
    join(root, "labels.json"),
    JSON.stringify(Array.from(labels, (l) => ["cat", "dog", "emu"][l])),
  );
  await writeFile(join(outside, "secret.npy"), encodeNpy(values, [n, d]));
  await symlink(join(outside, "secret.npy"), join(root, "link.npy"));
  await mkdir(join(root, "idx"));
  const pixels = new Uint8Array(30 * 28 * 28).map((_, i) => (i * 31) % 256);
  await writeFile(join(root, "idx/images"), encodeIdx("uint8", [30, 28, 28], pixels));
  await writeFile(
    join(root, "idx/labels"),
    encodeIdx(
      "uint8",
      [30],
      new Uint8Array(30).map((_, i) => i % 4),
    ),
  );
  h = await createHarness({ LACUNA_DATA_ROOTS: root });
});
afterAll(async () => {
  await h.close();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const register = (input: string) =>
  h.run<{
    registerDataset: {
      id: string;
      kind: string;
      size: number;
      dimensions: number | null;
      classes: { name: string; count: number }[];
    };
  }>(
    `mutation { registerDataset(input: ${input}) { id kind size dimensions classes { name count } } }`,
  );

describe("registerDataset", () => {
  it("refuses a FIFO at once, and four such calls leave the server answering", async () => {
    execFileSync("mkfifo", [join(root, "fifo.npy")]);
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) => register(`{ id: "fifo${i}", kind: EMBEDDINGS, path: "fifo.npy" }`)),
    );
    for (const result of results) {
      expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0]?.message).toMatch(/not a regular file \(a FIFO/);
    }
    const ids = await h.run<{ datasets: { id: string }[] }>("{ datasets { id } }");
    expect(ids.errors).toBeUndefined();
  });

  it("registers embeddings with labels from under a data root, and computes coverage on them", async () => {
    const result = await register(
      `{ id: "codes", kind: EMBEDDINGS, path: "codes.npy", labels: "labels.json" }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.registerDataset).toEqual({
      id: "codes",
      kind: "EMBEDDINGS",
      size: n,
      dimensions: d,
      classes: [
        { name: "cat", count: 40 },
        { name: "dog", count: 40 },
        { name: "emu", count: 40 },
      ],
    });
    const coverage = await h.run<{
      coverage: { coverageRadius: number; uncovered: { index: number; labelName: string }[] };
    }>(
      `{ coverage(input: { datasetId: "codes", method: NAIVE, numObservations: 5 }) { coverageRadius uncovered(first: 1000) { index labelName } } }`,
    );
    expect(coverage.errors).toBeUndefined();
    const expected = coverageNaive({ data: values, n, d }, 5);
    expect(coverage.data!.coverage.coverageRadius).toBe(expected.coverageRadius);
    expect(coverage.data!.coverage.uncovered.map((s) => s.index)).toEqual(
      Array.from(expected.uncoveredIndices),
    );
    const ids = await h.run<{ datasets: { id: string }[] }>("{ datasets { id } }");
    expect(ids.data!.datasets.map((x) => x.id)).toEqual(["mnist:train", "mnist:test", "codes"]);
  });

  it("registers an IDX pair and serves its images", async () => {
    const result = await register(
      `{ id: "tiny-idx", kind: IDX, path: "idx/images", labels: "${join(root, "idx/labels")}" }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.registerDataset.size).toBe(30);
    expect(result.data!.registerDataset.classes.map((c) => c.count)).toEqual([8, 8, 7, 7]);
    const sample = await h.run<{ sample: { label: number; image: string } }>(
      `{ sample(datasetId: "tiny-idx", index: 5) { label image } }`,
    );
    expect(sample.data!.sample.label).toBe(1);
    expect(sample.data!.sample.image).toMatch(/^data:image\/png;base64,/);
  });

  it("registers an image folder, brought to the requested shape", async () => {
    for (const [cls, shade] of [
      ["cats", 40],
      ["dogs", 200],
    ] as const) {
      await mkdir(join(root, "pictures", cls), { recursive: true });
      for (let i = 0; i < 3; i++) {
        const pixels = new Uint8Array(10 * 12 * 3).fill(shade + i);
        await sharp(pixels, { raw: { width: 12, height: 10, channels: 3 } })
          .png()
          .toFile(join(root, "pictures", cls, `${i}.png`));
      }
    }
    const result = await h.run<{
      registerDataset: { size: number; classes: { name: string; count: number }[] };
    }>(
      `mutation { registerDataset(input: { id: "pets", kind: IMAGE_FOLDER, path: "pictures", imageShape: [28, 28, 1] }) { size classes { name count } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.registerDataset).toEqual({
      size: 6,
      classes: [
        { name: "cats", count: 3 },
        { name: "dogs", count: 3 },
      ],
    });
    const shape = await h.run<{ dataset: { imageShape: number[] } }>(
      `{ dataset(id: "pets") { imageShape } }`,
    );
    expect(shape.data!.dataset.imageShape).toEqual([28, 28, 1]);
    const bad = await h.run(
      `mutation { registerDataset(input: { id: "pets2", kind: IMAGE_FOLDER, path: "pictures", imageShape: [28, 28, 2] }) { id } }`,
    );
    expect(bad.errors?.[0]?.extensions?.argument).toBe("input.imageShape");
  });

  it.each([
    ["an absolute path outside", () => join(outside, "secret.npy")],
    ["a .. escape", () => "../" + outside.split("/").pop() + "/secret.npy"],
    ["a symbolic link pointing outside", () => "link.npy"],
    ["a missing file outside", () => "/etc/lacuna-no-such-file.npy"],
  ])("refuses %s", async (_, path) => {
    const result = await register(
      `{ id: "escape", kind: EMBEDDINGS, path: ${JSON.stringify(path())} }`,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]?.extensions?.reason).toBe("PATH_OUTSIDE_ROOTS");
    // the configured roots are not told to the client
    expect(result.errors?.[0]?.message).not.toContain(root);
  });

  it("refuses bad ids, duplicates, damaged files, and removing built-ins", async () => {
    await writeFile(join(root, "bad.npy"), "not an npy file");
    const cases: [string, RegExp][] = [
      [`{ id: "Bad Id", kind: EMBEDDINGS, path: "codes.npy" }`, /input.id must be/],
      [`{ id: "codes", kind: EMBEDDINGS, path: "codes.npy" }`, /not already registered/],
      [`{ id: "mnist:train", kind: EMBEDDINGS, path: "codes.npy" }`, /input.id must be/],
      [`{ id: "bad", kind: EMBEDDINGS, path: "bad.npy" }`, /bad.npy/],
      [`{ id: "nolabels", kind: IDX, path: "idx/images" }`, /input.labels must be/],
      [`{ id: "missing", kind: EMBEDDINGS, path: "missing.npy" }`, /no such file/],
    ];
    for (const [input, message] of cases) {
      const result = await register(input);
      expect(result.errors?.[0]?.extensions?.code, input).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0]?.message, input).toMatch(message);
    }
    const builtin = await h.run(`mutation { removeDataset(id: "mnist:train") }`);
    expect(builtin.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("keeps the results of two datasets with the same numbers apart (id and class names)", async () => {
    await writeFile(
      join(root, "fruit.json"),
      JSON.stringify(Array.from(labels, (l) => ["apple", "banana", "cherry"][l])),
    );
    const twin = await register(
      `{ id: "twin", kind: EMBEDDINGS, path: "codes.npy", labels: "fruit.json" }`,
    );
    expect(twin.errors).toBeUndefined();
    const query = (id: string) =>
      h.run<{
        coverage: {
          datasetId: string;
          uncovered: { labelName: string }[];
          perClass: { className: string }[];
        };
      }>(
        `{ coverage(input: { datasetId: "${id}", method: NAIVE, numObservations: 5 }) { datasetId uncovered(first: 1000) { labelName } perClass(minClassSamples: 2) { className } } }`,
      );
    const [pets, fruit] = [await query("codes"), await query("twin")];
    expect(pets.data!.coverage.datasetId).toBe("codes");
    expect(fruit.data!.coverage.datasetId).toBe("twin");
    expect(fruit.data!.coverage.perClass.map((r) => r.className).sort()).toEqual([
      "apple",
      "banana",
      "cherry",
    ]);
    expect(pets.data!.coverage.perClass.map((r) => r.className).sort()).toEqual([
      "cat",
      "dog",
      "emu",
    ]);
  });

  it("refuses a second registration of an id racing the first", async () => {
    const input = `{ id: "racer", kind: EMBEDDINGS, path: "codes.npy" }`;
    const results = await Promise.all([register(input), register(input), register(input)]);
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? "OK").sort();
    expect(codes).toEqual(["BAD_USER_INPUT", "BAD_USER_INPUT", "OK"]);
  });

  it("removes a registered dataset", async () => {
    expect((await h.run(`mutation { removeDataset(id: "tiny-idx") }`)).data).toEqual({
      removeDataset: true,
    });
    const gone = await h.run(`{ dataset(id: "tiny-idx") { id } }`);
    expect(gone.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });
});
