/** `lacuna coverage --embeddings` end to end: real processes, the reference fixtures. */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy } from "@lacuna/io";
import { type Run, bin, expectBadInput, fixtures, lacuna, root } from "./test-support/run.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

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
