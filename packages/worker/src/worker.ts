/**
 * The Piscina worker: runs one task at a time and answers its typed result (protocol.ts's
 * TaskResults), radii blocks with the kernel that actually ran them. Must be compiled JavaScript:
 * Node 20 cannot start a .ts worker.
 *
 * gpu.js is imported only by gpujs and probe tasks, which the pool sends to its dedicated GPU
 * thread: gpu.js loads headless-gl on import, and headless-gl is a native addon that only one
 * thread of a process can load. onnxruntime is loaded only by the native tasks, which the pool
 * sends to its dedicated native thread (onnxruntime brings its own intra-op threads).
 */
import { leafRadii, type SpatialIndex } from "@lacuna/core/internal";
import { HeldPerCall } from "./held.js";
import type { RanKernel, SharedIndex, TaskResults, WorkerTask } from "./protocol.js";
import { viewIndex } from "./shared-index.js";
import { WasmLeafKernel } from "./wasm-kernel.js";

/**
 * The index of the call in progress and its WebAssembly kernel (null where it cannot run: the
 * scalar kernel then), built by this thread's first task of the call and kept for its later ones.
 */
const held = new HeldPerCall<number, { index: SpatialIndex; kernel: WasmLeafKernel | null }>();

function partitionIndex(
  shared: SharedIndex,
  stop: () => boolean,
): {
  index: SpatialIndex;
  kernel: WasmLeafKernel | null;
} {
  return held.get(shared.id, () => {
    const index = viewIndex(shared);
    // the call's one kernel memory: the first thread lays the leaves out, the others wait
    return { index, kernel: WasmLeafKernel.create(index, undefined, shared.kernel, stop) };
  });
}

/** The id of the index this thread holds a copy of, if any (for tests). */
export function heldIndex(): number | undefined {
  return held.heldKey();
}

const TFJS_KERNELS: Readonly<Record<string, RanKernel>> = {
  wasm: "tfjs-wasm",
  cpu: "tfjs-cpu",
  tensorflow: "tfjs-tensorflow",
};

/**
 * Piscina's entry point: runs one task; every branch answers its kind's result type (the pool's
 * scheduler types each call by the task it sends, scheduler.ts's runTask).
 */
export default async function run(task: WorkerTask): Promise<TaskResults[WorkerTask["kind"]]> {
  switch (task.kind) {
    case "partition": {
      const flag = new Int32Array(task.cancel);
      const stop = () => Atomics.load(flag, 0) !== 0;
      const { index, kernel } = partitionIndex(task.index, stop);
      try {
        const radii = leafRadii(index, task.k, task.leafA, task.leafB, stop, kernel ?? undefined);
        return { radii, kernel: kernel === null ? "scalar" : "wasm-simd" };
      } finally {
        held.scheduleRelease();
      }
    }
    case "gpujs": {
      const { gpuRadii } = await import("./gpu/gpu-radii.js");
      return { radii: await gpuRadii(task), kernel: "gpujs" };
    }
    case "matmul": {
      const { matmulRadii } = await import("./matmul-radii.js");
      const { tfRuntime } = await import("./tfjs/runtime.js");
      const radii = await matmulRadii(task);
      const { backend } = await tfRuntime();
      return { radii, kernel: TFJS_KERNELS[backend] ?? "tfjs-wasm" };
    }
    case "native-gemm": {
      const { nativeGemmRadii } = await import("./native/native-gemm.js");
      return { radii: await nativeGemmRadii(task), kernel: "onnxruntime" };
    }
    case "encode": {
      const { runEncodeTask } = await import("./encoder/encode-task.js");
      return runEncodeTask(task);
    }
    case "project": {
      const { runProjectTask } = await import("./projection/project-task.js");
      return runProjectTask(task);
    }
    case "cross": {
      const { runCrossTask } = await import("./cross-task.js");
      return runCrossTask(task);
    }
    case "gap-links": {
      const { runGapLinksTask } = await import("./gap-task.js");
      return runGapLinksTask(task);
    }
    case "gap-sums": {
      const { runGapSumsTask } = await import("./gap-task.js");
      return runGapSumsTask(task);
    }
    case "gap-deficits": {
      const { runGapDeficitsTask } = await import("./gap-task.js");
      return runGapDeficitsTask(task);
    }
    case "collect-covers": {
      const { runCollectCoversTask } = await import("./gap-task.js");
      return runCollectCoversTask(task);
    }
    case "probe": {
      const { probeGpu } = await import("./gpu/gpu-kernel.js");
      return probeGpu();
    }
    case "native-prepare": {
      const { prepareNative } = await import("./native/native-gemm.js");
      return prepareNative(task);
    }
    case "native-probe": {
      const { probeNative } = await import("./native/native-gemm.js");
      return probeNative(task.threads);
    }
  }
}
