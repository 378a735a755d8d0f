import { expect } from "vitest";
import { type NativeRuntime, nativeRuntime } from "../native/ort-runtime.js";

/**
 * onnxruntime-node on one intra-op thread, or null where it is not installed: it is optional, and
 * CI installs it, so there it must load; installed, the kernel's sessions must build (a graph it
 * refuses fails the calling test, never skips it).
 */
export async function installedRuntime(): Promise<Extract<NativeRuntime, { ok: true }> | null> {
  const runtime = await nativeRuntime(1);
  if (runtime.ok) return runtime;
  expect(runtime.reason).toMatch(/^onnxruntime-node does not load/);
  expect(process.env.CI).not.toBe("true");
  return null;
}
