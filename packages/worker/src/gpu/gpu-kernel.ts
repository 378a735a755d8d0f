import { GPU, type IKernelRunShortcut } from "gpu.js";
import type { GpuMode, ProbeResult } from "../protocol.js";
import { gpuDeviceNode } from "./device.js";

export { gpuDeviceNode };

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
export async function distanceTile(
  mode: GpuMode,
  data32: Float32Array,
  n: number,
  d: number,
  row0: number,
  rows: number,
): Promise<Float32Array[]> {
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
  // WebGPU kernels resolve asynchronously (buffer readback); GL and CPU ones return at once
  const out = (await (kernel(data32, row0) as unknown)) as Float32Array[] | Float32Array;
  if (Array.isArray(out)) return out;
  return Array.from({ length: rows }, (_, r) => out.subarray(r * n, (r + 1) * n));
}

/**
 * Looks for a WebGPU adapter through Dawn (the `webgpu` package, optional); when there is one,
 * installs `navigator.gpu` in this thread so that gpu.js's webgpu mode can use it. Dawn refuses
 * software Vulkan, so CPU-only machines report no adapter.
 */
export async function probeWebGpu(): Promise<{ webgpu: boolean; webgpuInfo: string }> {
  // without a GPU device node there is no adapter to find: skip loading Dawn (and its stderr warnings)
  if (gpuDeviceNode() === null)
    return { webgpu: false, webgpuInfo: "no GPU device node, WebGPU not probed" };
  try {
    const { create, globals } = (await import("webgpu")) as unknown as WebGpuModule;
    const gpu = create([]);
    const adapter = await gpu.requestAdapter();
    if (!adapter)
      return { webgpu: false, webgpuInfo: "Dawn found no WebGPU adapter (no GPU Vulkan driver)" };
    Object.assign(globalThis, globals);
    Object.defineProperty(globalThis, "navigator", {
      value: { gpu },
      configurable: true,
      writable: true,
    });
    const info = adapter.info;
    return {
      webgpu: true,
      webgpuInfo: info
        ? `${info.vendor} ${info.architecture} ${info.description}`.trim()
        : "adapter found",
    };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    return {
      webgpu: false,
      webgpuInfo: `the webgpu package is not installed or did not load: ${message}`,
    };
  }
}

interface WebGpuModule {
  create(options: string[]): {
    requestAdapter(): Promise<{
      info?: { vendor: string; architecture: string; description: string };
    } | null>;
  };
  globals: object;
}

/** What this thread can run: WebGPU, then headless-gl. */
export async function probeGpu(): Promise<ProbeResult> {
  const webgpu = await probeWebGpu();
  return { ...(await probeHeadlessGl()), ...webgpu };
}

/** Whether headless-gl can create a context in this thread, and on which renderer. */
async function probeHeadlessGl(): Promise<Omit<ProbeResult, "webgpu" | "webgpuInfo">> {
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
