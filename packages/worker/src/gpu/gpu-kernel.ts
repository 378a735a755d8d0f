import { existsSync, readdirSync } from "node:fs";
import { GPU, type IKernelRunShortcut } from "gpu.js";
import type { GpuMode, ProbeResult } from "../protocol.js";

/**
 * gpu.js kernels of this worker thread: one GPU instance per mode, one compiled kernel per
 * (n, d, rows) shape, reused across tasks (compiling GLSL costs far more than a tile).
 */
const instances = new Map<GpuMode, GPU>();
const kernels = new Map<string, IKernelRunShortcut>();

function gpuFor(mode: GpuMode): GPU {
  let gpu = instances.get(mode);
  if (!gpu) {
    gpu = new GPU({ mode });
    instances.set(mode, gpu);
  }
  return gpu;
}

/**
 * Squared float32 distances from rows [row0, row0 + rows) to all n rows, as `rows` Float32Array
 * rows of length n. `data32` is the n x d embeddings in float32, row-major.
 */
export function distanceTile(
  mode: GpuMode,
  data32: Float32Array,
  n: number,
  d: number,
  row0: number,
  rows: number,
): Float32Array[] {
  const key = `${mode}:${n}:${d}:${rows}`;
  let kernel = kernels.get(key);
  if (!kernel) {
    kernel = gpuFor(mode)
      .createKernel(function (
        this: { thread: { x: number; y: number }; constants: { d: number } },
        x: number[],
        first: number,
      ) {
        const i = first + this.thread.y;
        const j = this.thread.x;
        let s = 0;
        for (let t = 0; t < this.constants.d; t++) {
          const diff = x[i * this.constants.d + t]! - x[j * this.constants.d + t]!;
          s += diff * diff;
        }
        return s;
      })
      .setConstants({ d })
      .setOutput([n, rows])
      .setPrecision("single")
      .setTactic("precision")
      .setLoopMaxIterations(d + 1);
    kernels.set(key, kernel);
  }
  return kernel(data32, row0) as unknown as Float32Array[];
}

/**
 * The device node of a GPU this process can reach (NVIDIA's /dev/nvidia0, or a DRM render node
 * of AMD, Intel and others), or null: then GL contexts are Mesa's software rasteriser, which runs
 * the same GLSL as a GPU, on the CPU.
 */
export function gpuDeviceNode(): string | null {
  if (existsSync("/dev/nvidia0")) return "/dev/nvidia0";
  try {
    const render = readdirSync("/dev/dri").find((name) => name.startsWith("renderD"));
    return render ? `/dev/dri/${render}` : null;
  } catch {
    return null; // no /dev/dri at all: no DRM GPU
  }
}

/** Whether headless-gl can create a context in this thread, and on which renderer. */
export async function probeHeadlessGl(): Promise<ProbeResult> {
  try {
    const { default: createContext } = await import("gl");
    const gl = createContext(1, 1);
    if (!gl) {
      return {
        headlessgl: false,
        renderer: null,
        software: false,
        reason: "headless-gl could not create a context (no display? run under xvfb-run)",
      };
    }
    // headless-gl names no renderer ("ANGLE") and has no WEBGL_debug_renderer_info: whether the
    // context runs on a GPU is told by the device nodes a GPU driver creates
    const device = gpuDeviceNode();
    const renderer = device ? `GPU device ${device}` : "software OpenGL (no GPU device node found)";
    (gl.getExtension("STACKGL_destroy_context") as { destroy(): void } | null)?.destroy();
    return { headlessgl: true, renderer, software: device === null, reason: null };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    return {
      headlessgl: false,
      renderer: null,
      software: false,
      reason: `headless-gl is not installed or not built: ${message}`,
    };
  }
}
