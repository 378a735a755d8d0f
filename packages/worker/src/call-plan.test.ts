import { randomEmbeddings } from "@lacuna/core/testing";
import type { Piscina } from "piscina";
import { describe, expect, it } from "vitest";
import { type PlanThreads, planCall } from "./call-plan.js";
import { PREPARE_MIN_DIMENSIONS } from "./plan.js";
import type { NativeProbeResult, WorkerTask } from "./protocol.js";

/**
 * PlanThreads whose native thread records the tasks sent to it, in order, and answers them
 * ("workers" is recorded when the worker threads are asked for).
 */
function recordingThreads(): { threads: PlanThreads; sent: string[] } {
  const sent: string[] = [];
  const native = {
    run: (task: WorkerTask) => {
      sent.push(task.kind === "native-prepare" && task.release ? "release" : task.kind);
      return Promise.resolve(task.kind === "native-probe" ? probe : true);
    },
  } as unknown as Piscina;
  const probe: NativeProbeResult = { available: true, detail: "fake" };
  let probed: Promise<NativeProbeResult> | undefined;
  const threads: PlanThreads = {
    threads: 2,
    workers: () => {
      sent.push("workers");
      return {} as Piscina;
    },
    gpuThread: () => {
      throw new Error("no GPU thread here");
    },
    nativeThread: () => native,
    nativeInfo: () => (probed ??= native.run({ kind: "native-probe", threads: 2 })),
  };
  return { threads, sent };
}

describe("planCall", () => {
  it("sends the native thread its centring before the share sample is measured, not after", async () => {
    // noise in high dimensions: the sample settles the GEMM
    const e = randomEmbeddings(3000, PREPARE_MIN_DIMENSIONS + 44, 5, { float32: true });
    const { threads, sent } = recordingThreads();
    const planning = planCall(
      threads,
      e,
      10,
      { mode: null, detail: "" },
      new SharedArrayBuffer(4),
      undefined,
    );
    // planCall has run up to its first await, the sample included: the prepare must be out by now
    // (sent after an await, it waited for the sample)
    expect(sent).toEqual(["native-probe", "native-prepare"]);
    const { plan, blocks } = await planning;
    expect(plan.kernel).toBe("native-gemm");
    expect(blocks.length).toBeGreaterThan(0);
    // the prepared copy is kept for the blocks: no release
    expect(sent).not.toContain("release");
    // nor were the worker threads started: the GEMM runs on the native thread
    expect(sent).not.toContain("workers");
  });

  /** The kernel planned for 3000 rows of float32 noise in d dimensions, and what was sent. */
  async function planNoise(d: number): Promise<{ kernel: string; sent: string[] }> {
    const e = randomEmbeddings(3000, d, 5, { float32: true });
    const { threads, sent } = recordingThreads();
    const cancel = new SharedArrayBuffer(4);
    const { plan } = await planCall(threads, e, 10, { mode: null, detail: "" }, cancel, undefined);
    return { kernel: plan.kernel, sent };
  }

  it("starts the worker threads before the index is built where the partition is likely", async () => {
    // below the native thread's early start: the partition's threads start first, then the
    // index is built and measured (the probe, where the share asks for it, comes after)
    const { kernel, sent } = await planNoise(16);
    expect(kernel).toBe("partition");
    // asked for before the index (the plan asks again for its blocks' pool)
    expect(sent).toEqual(["workers", "workers"]);
  });

  it("starts no worker threads where the share sample settles the GEMM below the native thread's early start", async () => {
    // noise in 200-d: the sample settles the GEMM, onnxruntime is asked for, the partition's
    // threads are never needed
    const { kernel, sent } = await planNoise(PREPARE_MIN_DIMENSIONS - 56);
    expect(kernel).toBe("native-gemm");
    expect(sent).not.toContain("workers");
  });

  it("puts the caller's rows back when planning fails after the index took them in place", async () => {
    // uniform noise below the sample's dimensions: the full index is built (in place), its work
    // share asks for onnxruntime, and the probe fails
    const made = randomEmbeddings(2500, 120, 9, { float32: true });
    const data = new Float32Array(new SharedArrayBuffer(made.data.byteLength));
    data.set(made.data);
    const { threads } = recordingThreads();
    let seen = false;
    const failing: PlanThreads = {
      ...threads,
      nativeInfo: () => {
        // the rows are in leaf order when the probe is asked for: taken in place, not copied
        seen = data.some((v, i) => v !== made.data[i]);
        return Promise.reject(new Error("the native thread did not start"));
      },
    };
    const e = { ...made, data };
    await expect(
      planCall(
        failing,
        e,
        10,
        { mode: null, detail: "" },
        new SharedArrayBuffer(4),
        undefined,
        true,
      ),
    ).rejects.toThrow("did not start");
    expect(seen).toBe(true);
    expect(data.every((v, i) => v === made.data[i])).toBe(true);
  });
});
