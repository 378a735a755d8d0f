import { availableParallelism } from "node:os";
import { PoolOptionError } from "./pool-errors.js";

export { PoolOptionError };

export const MAX_THREADS = 256;

/**
 * The pool size: `requested` if given, else LACUNA_THREADS, else the machine's available
 * parallelism. Each must be an integer from 1 to 256.
 */
export function resolveThreadCount(
  requested?: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_THREADS) {
      throw new PoolOptionError("threads", requested, `an integer from 1 to ${MAX_THREADS}`);
    }
    return requested;
  }
  const fromEnv = env.LACUNA_THREADS;
  if (fromEnv !== undefined && fromEnv !== "") {
    const v = Number(fromEnv);
    if (!/^\d+$/.test(fromEnv.trim()) || v < 1 || v > MAX_THREADS) {
      throw new PoolOptionError("LACUNA_THREADS", fromEnv, `an integer from 1 to ${MAX_THREADS}`);
    }
    return v;
  }
  return Math.max(1, availableParallelism());
}
