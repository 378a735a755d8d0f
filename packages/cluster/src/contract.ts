/**
 * What a coordinator and its workers must agree on to give bit-identical radii: the Lacuna version
 * (the kernels, their float32 error bound, the float64 re-ranking) and the job protocol. It travels
 * in every job's data; a worker whose contract differs refuses the job instead of computing it.
 */
import { readFileSync } from "node:fs";

/** The shape of the jobs' data and results; bump on any change to them. */
export const PROTOCOL = 2;

/** The kernel every block runs: float32 GEMM with its proven bound, exact float64 re-ranking. */
export const KERNEL = "gemm-f32-bound+f64-rerank";

/** The BullMQ queue every coordinator and worker on one Redis shares. */
export const QUEUE = "lacuna-radii";

export interface Contract {
  readonly lacuna: string;
  readonly protocol: number;
  readonly kernel: string;
}

const VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

/** This process's contract. */
export function currentContract(): Contract {
  return { lacuna: VERSION, protocol: PROTOCOL, kernel: KERNEL };
}

/**
 * Why a worker holding `ours` must not compute a job that carries `theirs`, or null when it may.
 * Versions must be equal, not merely compatible: a kernel fix changes no API but may change bits.
 */
export function contractProblem(
  theirs: Partial<Contract> | undefined,
  ours: Contract = currentContract(),
): string | null {
  if (theirs === undefined) return "the job carries no version contract";
  const differs = (["lacuna", "protocol", "kernel"] as const).filter((f) => theirs[f] !== ours[f]);
  if (differs.length === 0) return null;
  return `the job needs Lacuna ${String(theirs.lacuna)} (protocol ${String(theirs.protocol)}, kernel ${String(theirs.kernel)}); this worker is Lacuna ${ours.lacuna} (protocol ${ours.protocol}, kernel ${ours.kernel})`;
}
