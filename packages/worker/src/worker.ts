/**
 * The Piscina worker: runs one task at a time and returns its radii block, moved (transferred)
 * rather than copied. Must be compiled JavaScript: Node 20 cannot start a .ts worker.
 *
 * gpu.js is imported only by gpujs and probe tasks, which the pool sends to its dedicated GPU
 * thread: gpu.js loads headless-gl on import, and headless-gl is a native addon that only one
 * thread of a process can load.
 */
import { leafRadii, type SpatialIndex } from "@lacuna/core/internal";
import { move } from "piscina";
import type { ProbeResult, SharedIndex, WorkerTask } from "./protocol.js";
import { viewIndex } from "./shared-index.js";
import { WasmLeafKernel } from "./wasm-kernel.js";

/**
 * The index of the call in progress and its WebAssembly kernel (null where it cannot run: the
 * scalar kernel then), built by this thread's first task of the call and kept for its later ones;
 * dropped once the thread has had no partition task for RELEASE_MS, so that a long-lived pool (the
 * server's) does not hold a copy of the last call's points.
 */
let current: { id: number; index: SpatialIndex; kernel: WasmLeafKernel | null } | undefined;
let release: ReturnType<typeof setTimeout> | undefined;
const RELEASE_MS = 5000;

function partitionIndex(shared: SharedIndex): {
  index: SpatialIndex;
  kernel: WasmLeafKernel | null;
} {
  clearTimeout(release);
  if (current?.id !== shared.id) {
    current = undefined; // let the previous call's memory go before allocating the next
    const index = viewIndex(shared);
    const kernel = WasmLeafKernel.create(index);
    current = { id: shared.id, index, kernel };
  }
  return current;
}

/** The id of the index this thread holds a copy of, if any (for tests). */
export function heldIndex(): number | undefined {
  return current?.id;
}

/** Counts RELEASE_MS from the end of a partition task. */
function scheduleRelease(): void {
  release = setTimeout(() => {
    current = undefined;
  }, RELEASE_MS);
  release.unref();
}

export default async function run(
  task: WorkerTask,
): Promise<Float64Array | ProbeResult | { codes: Float32Array; backend: string }> {
  switch (task.kind) {
    case "partition": {
      const flag = new Int32Array(task.cancel);
      const stop = () => Atomics.load(flag, 0) !== 0;
      const { index, kernel } = partitionIndex(task.index);
      try {
        return move(
          leafRadii(index, task.k, task.leafA, task.leafB, stop, kernel ?? undefined),
        ) as Float64Array;
      } finally {
        scheduleRelease();
      }
    }
    case "gpujs": {
      const { gpuRadii } = await import("./gpu/gpu-radii.js");
      return move(await gpuRadii(task)) as Float64Array;
    }
    case "matmul": {
      const { matmulRadii } = await import("./matmul-radii.js");
      return move(await matmulRadii(task)) as Float64Array;
    }
    case "encode": {
      const { runEncodeTask } = await import("./encoder/encode-task.js");
      // cloned, not moved (Piscina moves only a top-level transferable): a block's codes are a few
      // hundred KB, small beside the encoding itself
      return runEncodeTask(task);
    }
    case "project": {
      const { runProjectTask } = await import("./projection/project-task.js");
      return move(runProjectTask(task)) as Float64Array;
    }
    case "probe": {
      const { probeGpu } = await import("./gpu/gpu-kernel.js");
      return probeGpu();
    }
  }
}
