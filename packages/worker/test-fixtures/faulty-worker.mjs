// Fault injection for the pool's tests: the real worker, except that while the marker file named
// by LACUNA_FAULT_FILE exists, the first partition task to find it removes it and throws ("throw")
// or kills its thread ("exit"); "slow" makes every partition task wait until the call is cancelled.
import { existsSync, readFileSync, rmSync } from "node:fs";
import run from "../dist/worker.js";

export default async function faulty(task) {
  const marker = process.env.LACUNA_FAULT_FILE;
  if (task.kind === "partition" && marker && existsSync(marker)) {
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
