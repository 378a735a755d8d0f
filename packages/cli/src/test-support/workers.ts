/** `lacuna worker` processes for the cluster tests, on a test's private Redis. */
import { type ChildProcess, spawn } from "node:child_process";
import { bin } from "./run.js";

export interface WorkerProcess {
  readonly child: ChildProcess;
  /** host:pid, as the worker names itself in its results and progress. */
  readonly id: string;
  stderr(): string;
  /** Sends `signal` and waits for the exit. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** Starts `lacuna worker` and waits for its ready line. */
export async function startWorker(
  url: string,
  dataDir: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [bin, "worker", "--redis", url, "--threads", "1", ...args],
    {
      env: { ...process.env, LACUNA_DATA_DIR: dataDir, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let err = "";
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const id = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /lacuna worker (\S+) is taking blocks/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`lacuna worker exited (${code}): ${err}`)));
  });
  child.removeAllListeners("exit");
  return {
    child,
    id,
    stderr: () => err,
    stop(signal) {
      if (child.exitCode !== null || child.signalCode !== null)
        return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}

/** True when a and b hold the same float64 values bit for bit (0 and -0, NaN payloads told apart). */
export function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const bits = (x: ArrayLike<number>) =>
    Buffer.from((x instanceof Float64Array ? x : Float64Array.from(x)).slice().buffer);
  return a.length === b.length && bits(a).equals(bits(b));
}
