import { describe, expect, it } from "vitest";
import { gemmBlockRows, gemmBreakEvenShare, planRadii } from "./plan.js";

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
    for (const d of [4, 10, 32, 128, 512, 2048]) {
      const even = gemmBreakEvenShare(d, "native-gemm");
      expect(even).toBeLessThan(gemmBreakEvenShare(d, "tfjs-gemm"));
      // the MNIST autoencoder codes' share (0.06) below, the MNIST pixels' (0.98) above
      expect(even).toBeGreaterThan(0.06);
      expect(even).toBeLessThan(0.98);
    }
    // ten clusters in 512-d (share 0.13, the partition measured twice as fast): the partition
    expect(gemmBreakEvenShare(512, "native-gemm")).toBeGreaterThan(0.13);
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
  });

  it("obeys a forced kernel and still reports the measured share", () => {
    const gemm = planRadii({ d: 10, gpu: cpu, native, share: 0.01, force: "gemm" });
    expect(gemm.kernel).toBe("native-gemm");
    expect(gemm.reason).toMatch(/forced; the partition would do 1 %/);
    const partition = planRadii({ d: 784, gpu: cpu, native, share: 1, force: "partition" });
    expect(partition.kernel).toBe("partition");
  });
});

describe("GEMM block rows", () => {
  it("keep a block's output under 2^23 values, at least 16 rows, at most a tenth of n", () => {
    expect(gemmBlockRows(20_000)).toBe(419);
    expect(gemmBlockRows(1_000_000)).toBe(16);
    expect(gemmBlockRows(10_000_000)).toBe(16);
    expect(gemmBlockRows(1000)).toBe(100);
    expect(gemmBlockRows(50)).toBe(16);
  });
});
