import { describe, expect, it } from "vitest";
import {
  gemmBlockRows,
  gemmBreakEvenShare,
  planRadii,
  sampleSettlesGemm,
  SYMMETRIC_MIN_DIMENSIONS,
} from "./plan.js";

const cpu = { mode: null, detail: "CPU" } as const;
const native = { available: true, detail: "onnxruntime 1.30.0" };
const missing = { available: false, detail: "onnxruntime-node does not load" };

describe("the kernel plan", () => {
  it("takes gpu.js whenever the backend chose a GPU mode", () => {
    const plan = planRadii({
      d: 784,
      gpu: { mode: "headlessgl", detail: "gpu.js headless-gl on a GPU" },
      native,
      share: 1,
    });
    expect(plan).toEqual({ kernel: "gpujs", reason: "gpu.js headless-gl on a GPU" });
  });

  it("takes the GEMM above its break-even share, the partition at or below it", () => {
    for (const d of [16, 128, 512, 784]) {
      const even = gemmBreakEvenShare(d, "native-gemm");
      expect(planRadii({ d, gpu: cpu, native, share: Math.min(1, even * 1.01) }).kernel).toBe(
        even * 1.01 <= 1 ? "native-gemm" : "partition",
      );
      expect(planRadii({ d, gpu: cpu, native, share: even }).kernel).toBe("partition");
    }
  });

  it("breaks even lower for onnxruntime than for TensorFlow.js, between the measured cases", () => {
    for (const d of [128, 512, 784, 2048]) {
      const even = gemmBreakEvenShare(d, "native-gemm");
      expect(even).toBeLessThan(gemmBreakEvenShare(d, "tfjs-gemm"));
      // the MNIST pixels' share (0.98) above
      expect(even).toBeLessThan(0.98);
    }
    // ten clusters in 512-d (share 0.13; the GEMM measured 13.7 s, the partition 23.8 s): the GEMM
    expect(gemmBreakEvenShare(512, "native-gemm")).toBeLessThan(0.13);
    // the MNIST autoencoder's codes (10-d, share 0.06, the partition 3x faster) and the
    // near-identical float32 rows (16-d, share 0.16, the partition 5x faster): the partition
    expect(gemmBreakEvenShare(10, "native-gemm")).toBeGreaterThan(0.06);
    expect(gemmBreakEvenShare(16, "native-gemm")).toBeGreaterThan(0.16);
    // never in few dimensions
    expect(gemmBreakEvenShare(24, "native-gemm")).toBeGreaterThan(1);
  });

  it("keeps the partition where the share was not measured", () => {
    const plan = planRadii({ d: 2, gpu: cpu, native: null, share: null });
    expect(plan.kernel).toBe("partition");
    expect(plan.reason).toMatch(/a GEMM cannot win in 2 dimensions/);
  });

  it("falls back to TensorFlow.js's GEMM where onnxruntime is missing, and says why", () => {
    const plan = planRadii({ d: 784, gpu: cpu, native: missing, share: 1 });
    expect(plan.kernel).toBe("tfjs-gemm");
    expect(plan.reason).toMatch(/onnxruntime not available: onnxruntime-node does not load/);
    // for the user too, not only in the detail line
    expect(plan.unavailable).toBe("onnxruntime-node does not load");
  });

  it("names onnxruntime unavailable only where it was asked for and did not load", () => {
    expect(planRadii({ d: 784, gpu: cpu, native, share: 1 }).unavailable).toBeUndefined();
    // not asked (no GEMM could win): nothing to say
    expect(planRadii({ d: 10, gpu: cpu, native: null, share: 0.06 }).unavailable).toBeUndefined();
    // asked, missing, and TensorFlow.js's dearer GEMM loses to the partition: still said
    const between =
      (gemmBreakEvenShare(512, "native-gemm") + gemmBreakEvenShare(512, "tfjs-gemm")) / 2;
    const partition = planRadii({ d: 512, gpu: cpu, native: missing, share: between });
    expect(partition.kernel).toBe("partition");
    expect(partition.unavailable).toBe("onnxruntime-node does not load");
  });

  it("obeys a forced kernel and still reports the measured share", () => {
    const gemm = planRadii({ d: 10, gpu: cpu, native, share: 0.01, force: "gemm" });
    expect(gemm.kernel).toBe("native-gemm");
    expect(gemm.reason).toMatch(/forced; the partition would do 1 %/);
    const partition = planRadii({ d: 784, gpu: cpu, native, share: 1, force: "partition" });
    expect(partition.kernel).toBe("partition");
  });
});

describe("the share measured on a sample of 2048 rows", () => {
  it("settles the GEMM for real pixels, not for the cases the full index must decide", () => {
    // measured (bench/real-data.mjs cases, k = 20): MNIST pixels and their 256-d projection 1.0
    expect(sampleSettlesGemm(1, 784)).toBe(true);
    expect(sampleSettlesGemm(1, 256)).toBe(true);
    // ten clusters in 512-d: 0.35 on the sample, 0.13 on all 20 000 rows (the GEMM wins, barely:
    // the sample settles it)
    expect(sampleSettlesGemm(0.35, 512)).toBe(true);
    // a sample share three times the break-even or less leaves it to the full index
    expect(sampleSettlesGemm(3 * gemmBreakEvenShare(512, "native-gemm"), 512)).toBe(false);
    // few dimensions never: a million clustered rows in 16-d, 0.143 on a sample, 0.077 on all;
    // the MNIST autoencoder's 60 000 x 10 codes, 0.47 on a sample, 0.06 on all
    expect(sampleSettlesGemm(0.143, 16)).toBe(false);
    expect(sampleSettlesGemm(0.47, 10)).toBe(false);
    expect(sampleSettlesGemm(1, 64)).toBe(false);
  });

  it("is named in the plan's reason", () => {
    const plan = planRadii({ d: 784, gpu: cpu, native, share: 1, sampled: 2048 });
    expect(plan.reason).toMatch(/100 % of brute force's work \(on a sample of 2048 rows\)/);
  });
});

describe("GEMM block rows", () => {
  it("keep a block's output under 2^23 values, at least 16 rows, at most a tenth of n", () => {
    expect(gemmBlockRows(20_000)).toBe(209);
    expect(gemmBlockRows(1_000_000)).toBe(16);
    expect(gemmBlockRows(10_000_000)).toBe(16);
    expect(gemmBlockRows(1000)).toBe(100);
    expect(gemmBlockRows(50)).toBe(16);
  });
});

describe("the upper-triangle GEMM", () => {
  it("runs where halving the multiply-adds outweighs selecting the candidates (measured)", () => {
    // MNIST pixels (784-d) and ten clusters in 512-d: faster; the 256-d projection: slower
    expect(784).toBeGreaterThanOrEqual(SYMMETRIC_MIN_DIMENSIONS);
    expect(512).toBeGreaterThanOrEqual(SYMMETRIC_MIN_DIMENSIONS);
    expect(256).toBeLessThan(SYMMETRIC_MIN_DIMENSIONS);
  });
});
