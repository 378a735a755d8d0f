import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createEmbeddings,
  criticalValueRadii,
  type Embeddings,
  InvalidParameterError,
  NotEnoughSamplesError,
} from "@lacuna/core";
import { criticalValueRadiiBrute } from "@lacuna/core/internal";
import { nearIdenticalEmbeddings, random, randomEmbeddings } from "@lacuna/core/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gpuDeviceNode } from "./gpu/device.js";
import { type Backend, KnnPool, CancelledError, WorkerFailedError } from "./pool.js";
import { PREPARE_MIN_DIMENSIONS, SAMPLE_MIN_DIMENSIONS } from "./plan.js";
import { PoolOptionError } from "./threads.js";

const here = dirname(fileURLToPath(import.meta.url));
const faultyWorker = resolve(here, "../test-fixtures/faulty-worker.mjs");

/** Deterministic data with exact duplicates and coarse-grid ties. */
function randomWithDuplicates(n: number, d: number, seed: number, f32: boolean): Embeddings {
  const data = f32 ? new Float32Array(n * d) : new Float64Array(n * d);
  const rand = random(seed);
  for (let i = 0; i < n; i++) {
    if (i > 0 && rand() < 0.2) {
      const src = Math.floor(rand() * i);
      data.copyWithin(i * d, src * d, src * d + d);
    } else for (let t = 0; t < d; t++) data[i * d + t] = Math.floor(rand() * 6) / 6 + rand() * 1e-3;
  }
  return createEmbeddings(data, n, d);
}

/** Tight clusters in d dimensions with exact duplicates: what the ball partition prunes. */
function clusteredWithDuplicates(n: number, d: number, seed: number): Embeddings {
  const data = new Float32Array(n * d);
  const rand = random(seed);
  const centres = Array.from({ length: 6 * d }, () => rand() * 4);
  for (let i = 0; i < n; i++) {
    const c = i % 6;
    if (i > 6 && rand() < 0.1) {
      const src = i - 6;
      data.copyWithin(i * d, src * d, src * d + d);
    } else for (let t = 0; t < d; t++) data[i * d + t] = centres[c * d + t]! + rand() * 0.3;
  }
  return createEmbeddings(data, n, d);
}

/** `same` identical rows among n: their candidates tie, so the GEMM's TopK must ask again. */
function manyIdentical(n: number, same: number, d: number): Embeddings {
  const base = randomWithDuplicates(n, d, 21, true);
  const data = base.data.slice();
  for (let i = 1; i < same; i++) data.copyWithin(i * d, 0, d);
  return createEmbeddings(data, n, d);
}

const datasets: [string, () => Embeddings, number][] = [
  ["random float32 with duplicates", () => randomWithDuplicates(700, 6, 11, true), 7],
  ["random float64 with duplicates", () => randomWithDuplicates(500, 17, 5, false), 3],
  ["two clusters, k = 1", () => randomWithDuplicates(300, 2, 99, true), 1],
  ["high dimension (the GEMM kernel), float32", () => randomWithDuplicates(400, 150, 8, true), 6],
  ["high dimension (the GEMM kernel), float64", () => randomWithDuplicates(300, 200, 9, false), 4],
  ["clustered, 48-d (ball partition, wasm tiles)", () => clusteredWithDuplicates(900, 48, 3), 5],
  ["clustered, 160-d (ball partition over GEMM)", () => clusteredWithDuplicates(900, 160, 4), 8],
  [
    "300 identical rows of 500, 130-d (the GEMM's TopK retries)",
    () => manyIdentical(500, 300, 130),
    5,
  ],
];

describe.each([1, 2, 4])("a pool of %i threads", (threads) => {
  let pool: KnnPool;
  beforeAll(() => {
    pool = new KnnPool({ threads });
  });
  afterAll(() => pool.close());

  it.each(datasets)(
    "gives core's radii on %s with every backend and kernel",
    async (_name, load, k) => {
      const embeddings = load();
      const expected = criticalValueRadii(embeddings, k);
      for (const backend of ["cpu", "gpujs", "auto"] as Backend[]) {
        const { radii } = await pool.computeRadii(embeddings, k, { backend });
        expect(Array.from(radii), backend).toEqual(Array.from(expected));
      }
      for (const kernel of ["partition", "gemm"] as const) {
        const { radii } = await pool.computeRadii(embeddings, k, { backend: "cpu", kernel });
        expect(Array.from(radii), kernel).toEqual(Array.from(expected));
      }
    },
  );

  it.each(datasets)(
    "gives core's radii of a range of query rows against all rows on %s (a distributed block)",
    async (_name, load, k) => {
      const embeddings = load();
      const expected = criticalValueRadii(embeddings, k);
      const { n } = embeddings;
      for (const [a, b] of [
        [0, n],
        [1, Math.floor(n / 3)],
        [Math.floor(n / 3), n],
      ] as const) {
        const radii = await pool.computeRowRadii(embeddings, k, a, b);
        expect(Array.from(radii), `${a}..${b}`).toEqual(Array.from(expected.subarray(a, b)));
      }
      await expect(pool.computeRowRadii(embeddings, k, 5, 5)).rejects.toThrow(PoolOptionError);
      await expect(pool.computeRowRadii(embeddings, k, 0, n + 1)).rejects.toThrow(/rowB/);
    },
  );
});

describe("warm", () => {
  it("starts the native thread from its dimensions on, the worker threads below, nothing for gpu.js", async () => {
    const workersOf = (p: KnnPool) => (p as unknown as { piscinaPool?: unknown }).piscinaPool;
    for (const [d, backend, native, workers] of [
      [PREPARE_MIN_DIMENSIONS, "cpu", 1, false],
      [PREPARE_MIN_DIMENSIONS - 1, "cpu", 0, false],
      [SAMPLE_MIN_DIMENSIONS - 1, "cpu", 0, true],
      [784, "gpujs", 0, false],
      [16, "gpujs", 0, false],
    ] as const) {
      const p = new KnnPool({ threads: 1 });
      const asked = vi.spyOn(p, "nativeInfo");
      expect(workersOf(p)).toBeUndefined();
      p.warm(d, backend);
      expect(asked, `${d} ${backend}`).toHaveBeenCalledTimes(native);
      expect(workersOf(p) !== undefined, `${d} ${backend}`).toBe(workers);
      await p.close();
    }
    // nothing once closed
    const closed = new KnnPool({ threads: 1 });
    await closed.close();
    const asked = vi.spyOn(closed, "nativeInfo");
    closed.warm(PREPARE_MIN_DIMENSIONS, "cpu");
    closed.warm(16, "cpu");
    expect(asked).not.toHaveBeenCalled();
    expect(workersOf(closed)).toBeUndefined();
  });
});

describe("the CPU kernel the pool picks", () => {
  let pool: KnnPool;
  beforeAll(() => {
    pool = new KnnPool({ threads: 2 });
  });
  afterAll(() => pool.close());

  it("is the partition in low d, onnxruntime's GEMM on uniform noise, as the workers report", async () => {
    // what the plan says and what the workers report agree, whichever the plan picks
    const clustered = await pool.computeRadii(clusteredWithDuplicates(900, 160, 4), 8, {
      backend: "cpu",
    });
    expect(clustered.detail).toMatch(/the partition would do \d+ % of brute force's work/);
    if (clustered.detail.includes("2 threads, partition kernel"))
      expect(clustered.kernels).toEqual(["wasm-simd"]);
    else expect(clustered.kernels).toEqual(["onnxruntime"]);
    const noise = await pool.computeRadii(randomWithDuplicates(400, 150, 8, true), 6, {
      backend: "cpu",
    });
    // onnxruntime-node is optional: where it does not load, TensorFlow.js's GEMM runs and says so
    const native = await pool.nativeInfo();
    if (process.env.CI === "true") expect(native).toMatchObject({ available: true });
    expect(noise.kernels).toEqual([native.available ? "onnxruntime" : "tfjs-wasm"]);
    expect(noise.detail).toMatch(
      native.available ? /onnxruntime GEMM \(onnxruntime \d/ : /TensorFlow/,
    );
    // from 384-d the native GEMM multiplies the upper triangle, its blocks in row order through
    // the one native thread: still core's radii to the bit
    const wide = randomWithDuplicates(700, 640, 9, true);
    const upper = await pool.computeRadii(wide, 9, { backend: "cpu", kernel: "gemm" });
    expect(Array.from(upper.radii)).toEqual(Array.from(criticalValueRadii(wide, 9)));
    // enough rows for the partition to prune (on a few hundred rows anything is fast, and the
    // plan may take the GEMM)
    const low = await pool.computeRadii(randomWithDuplicates(6000, 4, 11, true), 7, {
      backend: "cpu",
    });
    expect(low.kernels).toEqual(["wasm-simd"]);
  });

  it("centres the data for the GEMM while it plans in high d, and drops that copy for the partition", async () => {
    // 60 tight clusters in 300-d: the partition prunes every other cluster, so the sample does
    // not settle the GEMM, and the copy the native thread made meanwhile is released
    const rnd = random(31);
    const n = 3000;
    const d = 300;
    const centres = Float32Array.from({ length: 60 * d }, () => rnd());
    const tight = createEmbeddings(
      Float32Array.from({ length: n * d }, (_, p) => {
        const i = Math.floor(p / d);
        return centres[(i % 60) * d + (p % d)]! * 0.9 + rnd() * 1e-3;
      }),
      n,
      d,
    );
    const clustered = await pool.computeRadii(tight, 8, { backend: "cpu" });
    expect(clustered.kernels).toEqual(["wasm-simd"]);
    expect(Array.from(clustered.radii)).toEqual(Array.from(criticalValueRadii(tight, 8)));
    // the same width of uniform noise: the GEMM, from the copy centred while the sample was measured
    const noise = randomWithDuplicates(900, d, 32, true);
    const gemm = await pool.computeRadii(noise, 8, { backend: "cpu" });
    const native = await pool.nativeInfo();
    expect(gemm.kernels).toEqual([native.available ? "onnxruntime" : "tfjs-wasm"]);
    expect(Array.from(gemm.radii)).toEqual(Array.from(criticalValueRadii(noise, 8)));
  });

  it("gives each of two GEMM calls at once core's radii (their blocks interleave on the native thread)", async () => {
    // the second call's first block takes the select thread's lists over; the first call's later
    // blocks must then go through TopK, and no block may be scanned into the other call's lists
    const a = randomEmbeddings(900, 640, 41, { float32: true });
    const b = randomEmbeddings(700, 500, 42, { float32: true });
    for (let round = 0; round < 2; round++) {
      const [ra, rb] = await Promise.all([
        pool.computeRadii(a, 9, { backend: "cpu", kernel: "gemm" }),
        pool.computeRadii(b, 7, { backend: "cpu", kernel: "gemm" }),
      ]);
      expect(Array.from(ra.radii)).toEqual(Array.from(criticalValueRadii(a, 9)));
      expect(Array.from(rb.radii)).toEqual(Array.from(criticalValueRadii(b, 7)));
    }
  });

  it("refuses an unknown kernel", async () => {
    await expect(
      pool.computeRadii(randomWithDuplicates(200, 4, 1, true), 3, {
        kernel: "fastest" as "gemm",
      }),
    ).rejects.toThrow(PoolOptionError);
  });

  it("takes the CPU for auto without a GPU probe where there is no GPU device node", async () => {
    const { detail } = await pool.computeRadii(randomWithDuplicates(200, 4, 1, true), 3);
    if (gpuDeviceNode() === null) expect(detail).toMatch(/CPU \(no GPU device node\)/);
    else expect(detail).not.toMatch(/no GPU device node/);
  });
});

describe("without onnxruntime", () => {
  let pool: KnnPool;
  beforeAll(() => {
    // read by the worker threads, which copy the environment when they start
    process.env.LACUNA_NO_ONNXRUNTIME = "1";
    pool = new KnnPool({ threads: 2 });
  });
  afterAll(async () => {
    await pool.close();
    delete process.env.LACUNA_NO_ONNXRUNTIME;
  });

  it("falls back to TensorFlow.js's GEMM, says so, and gives core's radii", async () => {
    const embeddings = randomWithDuplicates(400, 150, 8, true);
    const result = await pool.computeRadii(embeddings, 6, { backend: "cpu", kernel: "gemm" });
    expect(result.kernels).toEqual(["tfjs-wasm"]);
    expect(result.detail).toMatch(/onnxruntime not available: disabled by LACUNA_NO_ONNXRUNTIME/);
    // and for the caller to tell its user (the CLI prints it)
    expect(result.unavailable).toEqual([
      {
        part: "onnxruntime-node",
        reason: "disabled by LACUNA_NO_ONNXRUNTIME=1",
        instead: "computed without it (same radii, slower)",
      },
    ]);
    expect(Array.from(result.radii)).toEqual(Array.from(criticalValueRadii(embeddings, 6)));
  });

  it("gives core's radii from its centred copy on near-identical rows far from the origin", async () => {
    const embeddings = nearIdenticalEmbeddings(600, 40, 5, { offset: 50, noise: 1e-9, copies: 2 });
    const result = await pool.computeRadii(embeddings, 4, { backend: "cpu", kernel: "gemm" });
    expect(result.kernels).toEqual(["tfjs-wasm"]);
    expect(Array.from(result.radii)).toEqual(Array.from(criticalValueRadii(embeddings, 4)));
  });
});

describe("the pool's contract", () => {
  let pool: KnnPool;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lacuna-pool-"));
    process.env.LACUNA_FAULT_FILE = join(dir, "fault");
    pool = new KnnPool({ threads: 2, workerFile: faultyWorker });
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const data = () => randomWithDuplicates(3000, 5, 3, true);

  it("reports progress that rises to n", async () => {
    const seen: number[] = [];
    await pool.computeRadii(data(), 10, {
      backend: "cpu",
      onProgress: (done, total) => {
        expect(total).toBe(3000);
        seen.push(done);
      },
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(3000);
  });

  it("fails cleanly when a worker throws, then serves the next call", async () => {
    writeFileSync(process.env.LACUNA_FAULT_FILE!, "throw");
    await expect(pool.computeRadii(data(), 10, { backend: "cpu" })).rejects.toThrow(
      WorkerFailedError,
    );
    const { radii } = await pool.computeRadii(data(), 10, { backend: "cpu" });
    expect(Array.from(radii)).toEqual(Array.from(criticalValueRadii(data(), 10)));
  });

  it("fails cleanly when a worker dies, then serves the next call", async () => {
    writeFileSync(process.env.LACUNA_FAULT_FILE!, "exit");
    await expect(pool.computeRadii(data(), 10, { backend: "cpu" })).rejects.toThrow(
      /a worker failed while computing the radii of leaves/,
    );
    const { radii } = await pool.computeRadii(data(), 10, { backend: "cpu" });
    expect(Array.from(radii)).toEqual(Array.from(criticalValueRadii(data(), 10)));
  });

  it("cancels running work through the AbortSignal, then serves the next call", async () => {
    writeFileSync(process.env.LACUNA_FAULT_FILE!, "slow");
    const controller = new AbortController();
    const running = pool.computeRadii(data(), 10, { backend: "cpu", signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toThrow(CancelledError);
    rmSync(process.env.LACUNA_FAULT_FILE!, { force: true });
    const { radii } = await pool.computeRadii(data(), 10, { backend: "cpu" });
    expect(radii.length).toBe(3000);
  });

  it("refuses an already-aborted signal, bad k and an unknown backend before any work", async () => {
    await expect(pool.computeRadii(data(), 10, { signal: AbortSignal.abort() })).rejects.toThrow(
      CancelledError,
    );
    await expect(pool.computeRadii(data(), 0)).rejects.toThrow(InvalidParameterError);
    await expect(pool.computeRadii(data(), 3000)).rejects.toThrow(NotEnoughSamplesError);
    await expect(pool.computeRadii(data(), 5, { backend: "quantum" as Backend })).rejects.toThrow(
      PoolOptionError,
    );
  });
});

describe("duplicate-heavy data", () => {
  let pool: KnnPool;
  beforeAll(() => {
    pool = new KnnPool({ threads: 2 });
  });
  afterAll(() => pool.close());

  it("collapses exact duplicates first and gives brute force's radii to the bit", async () => {
    const embeddings = randomEmbeddings(3000, 8, 5, { duplicateRate: 0.9, float32: true });
    const expected = criticalValueRadiiBrute(embeddings, 5);
    for (const kernel of ["partition", "gemm"] as const) {
      const result = await pool.computeRadii(embeddings, 5, { backend: "cpu", kernel });
      expect(Array.from(result.radii), kernel).toEqual(Array.from(expected));
      expect(result.detail).toMatch(/duplicate rows collapsed first/);
    }
  });

  it("searches 20 000 identical rows as k + 1 rows: every radius 0", async () => {
    const identical = { data: new Float32Array(20_000 * 10).fill(0.25), n: 20_000, d: 10 };
    const result = await pool.computeRadii(identical, 20);
    expect(result.radii.every((r) => r === 0)).toBe(true);
    expect(result.detail).toMatch(/19979 duplicate rows collapsed first/);
  });
});
