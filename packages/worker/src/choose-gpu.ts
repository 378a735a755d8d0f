/**
 * Which GPU mode (if any) a radii call runs on, from the backend asked for and the GPU thread's
 * probe (asked only where it can matter: probing loads gpu.js and headless-gl).
 */
import { gpuDeviceNode } from "./gpu/device.js";
import type { Backend } from "./plan.js";
import type { GpuMode, ProbeResult } from "./protocol.js";

/**
 * The GPU mode for `backend` (null: the CPU kernels), a detail line for the result, and why a GPU
 * that was asked for or exists was not used.
 */
export async function chooseGpu(
  backend: Backend,
  backendInfo: () => Promise<ProbeResult>,
): Promise<{ mode: GpuMode | null; detail: string; unavailable?: string }> {
  if (backend === "cpu") return { mode: null, detail: "CPU" };
  // auto needs a hardware GPU, which has a device node: without one, skip the probe (loading
  // gpu.js and headless-gl in the GPU thread costs about 0.25 s of every `lacuna coverage`)
  if (backend === "auto" && gpuDeviceNode() === null)
    return { mode: null, detail: "CPU (no GPU device node)" };
  const info = await backendInfo();
  if (info.webgpu) return { mode: "webgpu", detail: `gpu.js WebGPU on ${info.webgpuInfo}` };
  const gl = {
    mode: "headlessgl" as const,
    detail: `gpu.js headless-gl on ${info.renderer ?? "unknown renderer"}`,
  };
  if (backend === "gpujs") {
    const reason = info.reason ?? "no GL context";
    return info.headlessgl
      ? gl
      : { mode: "cpu", detail: `gpu.js CPU mode (${reason})`, unavailable: reason };
  }
  // auto: a GPU only when it is a real one; Mesa's llvmpipe is slower than the CPU kernel
  if (!info.headlessgl && info.reason !== null) {
    return { mode: null, detail: `CPU (${info.reason})`, unavailable: info.reason };
  }
  return info.headlessgl && !info.software
    ? gl
    : { mode: null, detail: "CPU (no hardware GPU found)" };
}
