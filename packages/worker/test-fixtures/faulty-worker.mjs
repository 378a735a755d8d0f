// Fault injection for the pool's tests: the real worker, except that while the marker file named
// by LACUNA_FAULT_FILE exists, the first radii task (partition or GEMM, whichever kernel the plan
// picked) to find it removes it and throws ("throw") or kills its thread ("exit"); "slow" makes every
// such task wait until the call is cancelled.
import { existsSync, readFileSync, rmSync } from "node:fs";
import run from "../dist/worker.js";

const RADII_TASKS = new Set(["partition", "matmul", "native-gemm"]);

export default async function faulty(task) {
  const marker = process.env.LACUNA_FAULT_FILE;
  if (RADII_TASKS.has(task.kind) && marker && existsSync(marker)) {
    const fault = readFileSync(marker, "utf8").trim();
    if (fault === "slow") {
      const flag = new Int32Array(task.cancel);
      while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 50);
      throw new Error("stopped");
    }
    rmSync(marker, { force: true });
    if (fault === "exit") process.exit(3);
    throw new Error("injected fault");
  }
  return run(task);
}
