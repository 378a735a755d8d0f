import { availableParallelism } from "node:os";

/** Errors in the pool's own options, with the value received and what is allowed. */
export class PoolOptionError extends Error {
  readonly code = "INVALID_PARAMETER";
  constructor(option: string, value: unknown, allowed: string) {
    super(`${option} must be ${allowed}; received ${JSON.stringify(value)}`);
    this.name = "PoolOptionError";
  }
}

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
