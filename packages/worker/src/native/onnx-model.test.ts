import { describe, expect, it } from "vitest";
import { GRAPH } from "./onnx-model.js";
import { nativeRuntime } from "./ort-runtime.js";
import { installedRuntime } from "../test-support/onnxruntime.js";

describe("the Gemm + TopK graph", () => {
  it("keeps each row's smallest |x_j|^2 - 2 q . x_j, ascending, with their columns", async () => {
    const runtime = await installedRuntime();
    if (runtime === null) return;
    const { ort, session } = runtime;
    // x: 4 points in 2-D; q: two of them
    const x = Float32Array.of(0, 0, 1, 0, 0, 2, 3, 3);
    const norms = Float32Array.of(0, 1, 4, 18);
    const q = Float32Array.of(1, 0, 0, 2);
    const out = await session.run({
      [GRAPH.queries]: new ort.Tensor("float32", q, [2, 2]),
      [GRAPH.points]: new ort.Tensor("float32", x, [4, 2]),
      [GRAPH.norms]: new ort.Tensor("float32", norms, [1, 4]),
      [GRAPH.keep]: new ort.Tensor("int64", BigInt64Array.of(3n), [1]),
    });
    const values = out[GRAPH.values]!.data;
    const indices = out[GRAPH.indices]!.data;
    if (!(values instanceof Float32Array) || !(indices instanceof BigInt64Array))
      throw new Error("unexpected tensor types");
    // q0 = (1, 0): |x|^2 - 2 q.x = 0, -1, 4, 12; q1 = (0, 2): 0, 1, -4, 6
    expect(Array.from(values)).toEqual([-1, 0, 4, -4, 0, 1]);
    expect(Array.from(indices, Number)).toEqual([1, 0, 2, 2, 0, 1]);
    expect(out[GRAPH.values]!.dims).toEqual([2, 3]);
  });

  it("gives the whole block |x_j|^2 - 2 q . x_j from the Gemm-only graph", async () => {
    const runtime = await installedRuntime();
    if (runtime === null) return;
    const { ort, gemm } = runtime;
    // the same 4 points and 2 queries as above
    const out = await gemm.run({
      [GRAPH.queries]: new ort.Tensor("float32", Float32Array.of(1, 0, 0, 2), [2, 2]),
      [GRAPH.points]: new ort.Tensor("float32", Float32Array.of(0, 0, 1, 0, 0, 2, 3, 3), [4, 2]),
      [GRAPH.norms]: new ort.Tensor("float32", Float32Array.of(0, 1, 4, 18), [1, 4]),
    });
    const shifted = out[GRAPH.shifted]!;
    expect(shifted.dims).toEqual([2, 4]);
    expect(Array.from(shifted.data as Float32Array)).toEqual([0, -1, 4, 12, 0, 1, -4, 6]);
  });

  it("is refused by name when disabled, without throwing", async () => {
    process.env.LACUNA_NO_ONNXRUNTIME = "1";
    try {
      // a thread count no other test uses: the runtime is cached per count
      const runtime = await nativeRuntime(97);
      expect(runtime).toEqual({ ok: false, reason: "disabled by LACUNA_NO_ONNXRUNTIME=1" });
    } finally {
      delete process.env.LACUNA_NO_ONNXRUNTIME;
    }
  });
});
