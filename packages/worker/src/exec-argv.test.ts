import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { WORKER_EXEC_ARGV } from "./pool.js";

/** What require() of the pool's own task file (an ES module) does in a thread with `execArgv`. */
function requireInThread(execArgv: string[] | undefined): Promise<string> {
  const file = new URL("../dist/worker.js", import.meta.url).pathname;
  const code = `const { parentPort } = require("node:worker_threads");
try { require(${JSON.stringify(file)}); parentPort.postMessage("loaded"); }
catch (error) { parentPort.postMessage(String(error.code)); }`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, execArgv });
    worker.once("message", (message: string) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once("error", reject);
  });
}

describe("the pool's threads", () => {
  // Piscina tries require() before import(); Node 20's require() of an ES module can abort the
  // process when it meets an import() of the same graph in flight (a CI run died so)
  it.skipIf(WORKER_EXEC_ARGV === undefined)(
    "refuse require() of an ES module, so Piscina loads the task file by import()",
    async () => {
      expect(WORKER_EXEC_ARGV).toContain("--no-experimental-require-module");
      expect(await requireInThread(WORKER_EXEC_ARGV)).toBe("ERR_REQUIRE_ESM");
      // without the flag this Node loads it by require(): the flag is what changes it
      expect(await requireInThread(undefined)).toBe("loaded");
    },
  );
});
