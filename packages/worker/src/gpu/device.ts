/**
 * GPU device detection without loading gpu.js or headless-gl: the pool asks it on the main thread
 * before it starts a GPU probe at all.
 */
import { existsSync, readdirSync } from "node:fs";

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
