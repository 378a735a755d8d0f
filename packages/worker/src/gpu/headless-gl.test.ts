import { criticalValueRadii, createEmbeddings } from "@lacuna/core";
import { random } from "@lacuna/core/testing";
import { describe, expect, it } from "vitest";
import { KnnPool } from "../pool.js";

// Its own file, so its own process: headless-gl loads in one thread per process only.

function clusteredWithDuplicates(n: number, d: number): ReturnType<typeof createEmbeddings> {
  const data = new Float32Array(n * d);
  const rand = random(21);
  for (let i = 0; i < n; i++) {
    if (i > 0 && rand() < 0.1) data.copyWithin(i * d, (i - 1) * d, i * d);
    else for (let t = 0; t < d; t++) data[i * d + t] = Math.floor(rand() * 4) / 4 + rand() * 0.05;
  }
  return createEmbeddings(data, n, d);
}

describe("the GPU path through headless-gl", () => {
  it("runs the GLSL kernel in a real GL context (Mesa under Xvfb here, a GPU elsewhere)", async (context) => {
    const pool = new KnnPool({ threads: 2 });
    try {
      const info = await pool.backendInfo();
      if (!info.headlessgl) {
        // CI installs Mesa, Xvfb and the headers headless-gl builds against: there this must run
        if (process.env.CI === "true")
          throw new Error(`headless-gl unavailable under CI: ${info.reason}`);
        context.skip(`headless-gl unavailable: ${info.reason}`);
      }
      const embeddings = clusteredWithDuplicates(1500, 10);
      const result = await pool.computeRadii(embeddings, 20, { backend: "gpujs" });
      expect(result.detail).toContain("gpu.js headless-gl");
      expect(Array.from(result.radii)).toEqual(Array.from(criticalValueRadii(embeddings, 20)));
    } finally {
      await pool.close();
    }
  });
});

describe("WebGPU detection", () => {
  it("reports WebGPU only where a GPU device node exists, and says why not", async () => {
    const { gpuDeviceNode, probeWebGpu } = await import("./gpu-kernel.js");
    const result = await probeWebGpu();
    if (gpuDeviceNode() === null) {
      expect(result).toEqual({
        webgpu: false,
        webgpuInfo: "no GPU device node, WebGPU not probed",
      });
    } else {
      expect(typeof result.webgpu).toBe("boolean");
      expect(result.webgpuInfo.length).toBeGreaterThan(0);
    }
  });
});
