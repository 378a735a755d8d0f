/** `lacuna embed`, `coverage --dataset`, `datasets` and `project` end to end, on MNIST. */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectBadInput, fixtures, lacuna } from "./test-support/run.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("lacuna embed", () => {
  it("writes n x 10 float32 codes in [0, 1] with the shipped encoder", async () => {
    const out = join(dir, "codes.npy");
    const run = await lacuna([
      "embed",
      "--dataset",
      "mnist:test",
      "--limit",
      "150",
      "--out",
      out,
      "--batch-size",
      "32",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/wrote .*codes\.npy: 150 x 10 float32 embeddings of mnist:test/);
    const { readNpyFile } = await import("@lacuna/io");
    const codes = await readNpyFile(out);
    expect([codes.dtype, codes.shape]).toEqual(["float32", [150, 10]]);
    expect(Array.from(codes.data).every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("exits 2 with one line for an unknown dataset, a bad selection or a missing model", async () => {
    const out = join(dir, "never.npy");
    expectBadInput(
      await lacuna(["embed", "--dataset", "cifar:train", "--out", out]),
      /^lacuna: no dataset "cifar:train"; known: mnist:train, mnist:test, folder:DIR$/,
    );
    expectBadInput(
      await lacuna(["embed", "--dataset", "mnist:test", "--classes", "12", "--out", out]),
      /selection\.classes .*received 12/,
    );
    expectBadInput(
      await lacuna(["embed", "--dataset", "mnist:test", "--model-dir", dir, "--out", out]),
      /no readable model\.json/,
    );
    expectBadInput(
      await lacuna([
        "embed",
        "--dataset",
        "mnist:test",
        "--root",
        join(dir, "nowhere"),
        "--out",
        out,
      ]),
      /no such file/,
    );
  });
});

describe("lacuna coverage --dataset", () => {
  it("encodes the selection and gives what embed + coverage --embeddings give", async () => {
    const cache = join(dir, "cache-dataset");
    const out = join(dir, "test300.npy");
    const embed = await lacuna([
      "embed",
      "--dataset",
      "mnist:test",
      "--limit",
      "300",
      "--out",
      out,
      "--cache-dir",
      cache,
    ]);
    expect(embed.code, embed.stderr).toBe(0);
    const viaFile = await lacuna(["coverage", "--embeddings", out, "--k", "5", "--json"]);
    const viaDataset = await lacuna([
      "coverage",
      "--dataset",
      "mnist:test",
      "--limit",
      "300",
      "--k",
      "5",
      "--json",
      "--cache-dir",
      cache,
    ]);
    expect(viaDataset.code, viaDataset.stderr).toBe(0);
    expect(JSON.parse(viaDataset.stdout)).toEqual(JSON.parse(viaFile.stdout));
    // the table names the dataset and shows labels and dataset indices without --labels
    const table = await lacuna([
      "coverage",
      "--dataset",
      "mnist:test",
      "--indices",
      "100,200,300,400,500,600,700,800,900,1000,1100,1200",
      "--k",
      "3",
      "--percent",
      "0.1",
      "--cache-dir",
      cache,
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Coverage of mnist:test \(12 images/);
    expect(table.stdout).toMatch(/rank +index +label +radius\n +1 +\d{1,2}00 +\d +0\.\d+/);
  });

  it("--png draws the 20 least-covered images as a 4 x 5 grid", async () => {
    const png = join(dir, "grid.png");
    const run = await lacuna([
      "coverage",
      "--dataset",
      "mnist:test",
      "--limit",
      "400",
      "--k",
      "5",
      "--percent",
      "0.05",
      "--png",
      png,
      "--cache-dir",
      join(dir, "cache-dataset"),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const { default: sharp } = await import("sharp");
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe("png");
    // 5 columns of 28 x 3 pixel images with captions, 4 rows, and a title
    expect(meta.width).toBe(478);
    expect(meta.height).toBeGreaterThan(432);
    const refused = await lacuna([
      "coverage",
      "--embeddings",
      join(fixtures, "blobs-2000x10.npy"),
      "--png",
      png,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--png must be used with --dataset/);
  });

  it("needs exactly one of --embeddings and --dataset", async () => {
    for (const args of [
      ["coverage"],
      ["coverage", "--dataset", "mnist:test", "--embeddings", "x.npy"],
    ]) {
      const run = await lacuna(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/exactly one of --embeddings FILE.npy and --dataset ID/);
    }
  });
});

describe("lacuna datasets", () => {
  it("lists the built-in datasets with their sizes", async () => {
    await mkdir(join(dir, "data"));
    const run = await lacuna(["datasets", "--json", "--data-dir", join(dir, "data")]);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as { id: string; size: number; classes: unknown[] }[];
    expect(rows.map((r) => [r.id, r.size, r.classes.length])).toEqual([
      ["mnist:train", 60000, 10],
      ["mnist:test", 10000, 10],
    ]);
    const table = await lacuna(["datasets", "--data-dir", join(dir, "data")]);
    expect(table.stdout).toMatch(/mnist:train +MNIST training set +IDX +60000 +28x28x1 +10/);
  });
});

describe("lacuna project and --scatter", () => {
  it("writes deterministic coordinates and scatter plots", async () => {
    const a = join(dir, "pa.npy");
    const b = join(dir, "pb.npy");
    const scatter = join(dir, "p.png");
    const blobs = join(fixtures, "blobs-2000x10.npy");
    const labels = join(fixtures, "blobs-2000x10.labels.npy");
    const first = await lacuna([
      "project",
      "--embeddings",
      blobs,
      "--labels",
      labels,
      "--method",
      "pca",
      "--out",
      a,
      "--scatter",
      scatter,
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /projected 2000 samples of .*blobs-2000x10.npy with pca \(seed 0\)/,
    );
    await lacuna(["project", "--embeddings", blobs, "--method", "pca", "--out", b]);
    expect(await readFile(a)).toEqual(await readFile(b));
    const { default: sharp } = await import("sharp");
    expect((await sharp(scatter).metadata()).format).toBe("png");

    const ringed = join(dir, "ringed.png");
    const coverage = await lacuna([
      "coverage",
      "--embeddings",
      blobs,
      "--labels",
      labels,
      "--scatter",
      ringed,
      "--projection",
      "pca",
      "--json",
    ]);
    expect(coverage.code, coverage.stderr).toBe(0);
    expect((await sharp(ringed).metadata()).width).toBeGreaterThan(400);

    const none = await lacuna(["project", "--embeddings", blobs]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/at least one of --out FILE.npy, --scatter FILE.png and --json/);
  });
});

describe("lacuna embed --out", () => {
  it("exits 2 with one line when the output cannot be written", async () => {
    const run = await lacuna([
      "embed",
      "--dataset",
      "mnist:test",
      "--limit",
      "10",
      "--out",
      join(dir, "no-such-folder", "x.npy"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^lacuna: .*no-such-folder\/x.npy: cannot write: no such file\n$/);
  });
});
