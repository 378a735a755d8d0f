import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy } from "@lacuna/io";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
const bin = resolve(here, "../bin/lacuna.js");
const fixtures = join(root, "test/fixtures/reference");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function lacuna(args: string[], cwd = root): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        done({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A bad-input run: exit 2, exactly one line on stderr matching `message`, nothing on stdout, no stack. */
function expectBadInput(run: Run, message: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("lacuna coverage", () => {
  it("--json prints exactly DataEval's three fields, matching scikit-learn on the blobs", async () => {
    const run = await lacuna([
      "coverage",
      "--embeddings",
      join(fixtures, "blobs-2000x10.npy"),
      "--k",
      "20",
      "--percent",
      "0.01",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(out).sort()).toEqual([
      "coverageRadius",
      "criticalValueRadii",
      "uncoveredIndices",
    ]);
    const ref = JSON.parse(
      await readFile(join(fixtures, "blobs-2000x10.k20.coverage.json"), "utf8"),
    ) as {
      adaptive: { coverage_radius: number; uncovered_indices: number[] };
    };
    expect(out.uncoveredIndices).toEqual(ref.adaptive.uncovered_indices);
    expect(
      Math.abs((out.coverageRadius as number) / ref.adaptive.coverage_radius - 1),
    ).toBeLessThan(1e-9);
    expect(out.criticalValueRadii).toHaveLength(2000);
  });

  it("--per-class --json adds DataEval's per-class rows, matching the oracle on the blobs", async () => {
    const run = await lacuna([
      "coverage",
      "--embeddings",
      join(fixtures, "blobs-2000x10.npy"),
      "--labels",
      join(fixtures, "blobs-2000x10.labels.npy"),
      "--per-class",
      "--json",
    ]);
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout) as {
      perClass: Record<string, unknown>[];
      uncoveredIndices: number[];
    };
    const oracle = JSON.parse(
      await readFile(join(fixtures, "blobs-2000x10.k20.per-class.json"), "utf8"),
    ) as { perClass: Record<string, unknown>[]; uncoveredIndices: number[] };
    expect(out.uncoveredIndices).toEqual(oracle.uncoveredIndices);
    expect(out.perClass.map((r) => Object.keys(r).sort())).toEqual(
      oracle.perClass.map((r) => Object.keys(r).sort()),
    );
    out.perClass.forEach((row, i) => {
      for (const [field, expected] of Object.entries(oracle.perClass[i]!)) {
        if (typeof expected === "number") expect(row[field] as number).toBeCloseTo(expected, 9);
        else expect(row[field]).toEqual(expected);
      }
    });
    const table = await lacuna([
      "coverage",
      "--embeddings",
      join(fixtures, "blobs-2000x10.npy"),
      "--labels",
      join(fixtures, "blobs-2000x10.labels.npy"),
      "--per-class",
    ]);
    expect(table.stdout).toMatch(
      /Per class\nclass +count +uncovered +fraction +dispersion +isotropy +near-dup\n3 +212 +0 /,
    );
    const alone = await lacuna([
      "coverage",
      "--embeddings",
      join(fixtures, "blobs-2000x10.npy"),
      "--per-class",
    ]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--per-class must be used with --labels FILE/);
  });

  it("--method naive follows the analytic radius", async () => {
    const run = await lacuna([
      "coverage",
      "--embeddings",
      join(fixtures, "blobs-2000x10.npy"),
      "--method",
      "naive",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { coverageRadius: number; uncoveredIndices: number[] };
    const ref = JSON.parse(
      await readFile(join(fixtures, "blobs-2000x10.k20.coverage.json"), "utf8"),
    ) as {
      naive: { coverage_radius: number; uncovered_indices: number[] };
    };
    expect(out.uncoveredIndices).toEqual(ref.naive.uncovered_indices);
    expect(Math.abs(out.coverageRadius / ref.naive.coverage_radius - 1)).toBeLessThan(1e-9);
  });

  it("gives the same answer with every backend and thread count", async () => {
    const file = join(fixtures, "blobs-2000x10.npy");
    const outputs = new Set<string>();
    for (const args of [
      ["--backend", "cpu", "--threads", "1"],
      ["--backend", "cpu", "--threads", "3"],
      ["--backend", "gpujs"],
      ["--backend", "auto"],
    ]) {
      const run = await lacuna(["coverage", "--embeddings", file, "--json", ...args]);
      expect(run.code, run.stderr).toBe(0);
      outputs.add(run.stdout);
    }
    expect(outputs.size).toBe(1);
  });

  it("refuses a bad LACUNA_THREADS with one line", async () => {
    const run = await new Promise<Run>((done) => {
      execFile(
        process.execPath,
        [bin, "coverage", "--embeddings", join(fixtures, "ties-200x4.npy")],
        { cwd: root, env: { ...process.env, LACUNA_THREADS: "lots" } },
        (error, stdout, stderr) => {
          done({
            code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
            stdout,
            stderr,
          });
        },
      );
    });
    expectBadInput(run, /LACUNA_THREADS must be an integer from 1 to 256; received "lots"/);
  });

  it("--labels adds each flagged sample's class to the table, and refuses a count mismatch", async () => {
    const file = join(fixtures, "blobs-2000x10.npy");
    const run = await lacuna([
      "coverage",
      "--embeddings",
      file,
      "--labels",
      join(fixtures, "blobs-2000x10.labels.npy"),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/rank\s+index\s+label\s+radius\n\s+1\s+1980\s+\d+\s+1\.14391/);
    const short = join(dir, "short-labels.json");
    await writeFile(short, "[0, 1]");
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--labels", short]),
      /short-labels\.json: 2 labels for 2000 embeddings/,
    );
  });

  it("prints a readable table by default", async () => {
    const run = await lacuna(["coverage", "--embeddings", join(fixtures, "blobs-2000x10.npy")]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      "samples 2000, dimensions 10, k 20, method adaptive, percent 0.01",
    );
    expect(run.stdout).toContain("coverage radius 0.751894");
    expect(run.stdout).toContain("uncovered 20 of 2000 (1.00 %)");
    expect(run.stdout).toMatch(/\n\s+1\s+1980\s+1\.14391\n/);
  });

  it("rescales with --force-unit-interval and refuses without it", async () => {
    const file = join(fixtures, "scaled-500x16.npy");
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--k", "20", "--percent", "0.02"]),
      /unit interval \[0, 1\].*--force-unit-interval/,
    );
    const run = await lacuna([
      "coverage",
      "--embeddings",
      file,
      "--k",
      "20",
      "--percent",
      "0.02",
      "--force-unit-interval",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const ref = JSON.parse(
      await readFile(join(fixtures, "scaled-500x16.k20.coverage.json"), "utf8"),
    ) as {
      adaptive: { uncovered_indices: number[] };
    };
    expect((JSON.parse(run.stdout) as { uncoveredIndices: number[] }).uncoveredIndices).toEqual(
      ref.adaptive.uncovered_indices,
    );
  });

  it("exits 2 with one line for bad parameters", async () => {
    const file = join(fixtures, "ties-200x4.npy");
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--k", "0"]),
      /--k.*must be an integer >= 1/,
    );
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--k", "2.5"]),
      /--k.*must be an integer >= 1/,
    );
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--k", "200"]),
      /n = 200 is less than or equal to k = 200/,
    );
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--percent", "0"]),
      /--percent.*\(0, 1\]/,
    );
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--percent", "1.5"]),
      /--percent.*\(0, 1\]/,
    );
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--method", "magic"]),
      /--method.*adaptive, naive/,
    );
    expectBadInput(await lacuna(["coverage"]), /--embeddings/);
    expectBadInput(await lacuna(["frobnicate"]), /unknown command/);
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--backend", "tpu"]),
      /--backend.*auto, cpu, gpujs/,
    );
    expectBadInput(
      await lacuna(["coverage", "--embeddings", file, "--threads", "0"]),
      /--threads.*integer >= 1/,
    );
  });

  it("exits 2 with one line naming the file for bad files", async () => {
    const write = async (name: string, bytes: Uint8Array) => {
      const path = join(dir, name);
      await writeFile(path, bytes);
      return path;
    };
    const good = encodeNpy(new Float32Array(40).fill(0.5), [10, 4]);
    const cases: [string, Uint8Array, RegExp][] = [
      ["truncated.npy", good.subarray(0, good.length - 7), /truncated\.npy: truncated data/],
      ["text.npy", new TextEncoder().encode("hello, world"), /text\.npy: not a \.npy file/],
      [
        "vector.npy",
        encodeNpy(new Float32Array(5), [5]),
        /vector\.npy: embeddings must be a 2-D array.*shape \(5,\)/,
      ],
      [
        "cube.npy",
        encodeNpy(new Float32Array(8), [2, 2, 2]),
        /cube\.npy: embeddings must be a 2-D array.*\(2, 2, 2\)/,
      ],
      ["norows.npy", encodeNpy(new Float32Array(0), [0, 4]), /norows\.npy: .*at least one row/],
      [
        "nan.npy",
        encodeNpy(new Float32Array([0, 0, 0, Number.NaN, 0, 0]), [3, 2]),
        /found NaN at row 1, column 1/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      expectBadInput(await lacuna(["coverage", "--embeddings", await write(name, bytes)]), message);
    }
    const fortran = new TextDecoder("latin1")
      .decode(good)
      .replace("'fortran_order': False", "'fortran_order': True ");
    expectBadInput(
      await lacuna([
        "coverage",
        "--embeddings",
        await write(
          "fortran.npy",
          Uint8Array.from(fortran, (c) => c.charCodeAt(0)),
        ),
      ]),
      /fortran\.npy: Fortran-ordered arrays are not supported/,
    );
    expectBadInput(
      await lacuna(["coverage", "--embeddings", join(dir, "absent.npy")]),
      /absent\.npy: no such file/,
    );
  });

  it("is linked as `npx lacuna` in the repository root", async () => {
    const run = await new Promise<Run>((done) => {
      execFile(
        "npx",
        ["--no-install", "lacuna", "--help"],
        { cwd: root },
        (error, stdout, stderr) => {
          done({ code: error ? 1 : 0, stdout, stderr });
        },
      );
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("coverage [options]");
  });
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
