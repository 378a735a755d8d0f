/**
 * One WebAssembly memory for every thread of a call (the partition kernel's leaves, boxes and
 * balls, written once), instead of a copy per thread: 4 n d bytes in all for float32 data rather
 * than 4 n d a thread (1M x 128: 512 MB instead of 1 GB with two threads). The pool makes the
 * memory empty (shared-index.ts: it reserves address space, nothing resident); the first thread
 * to need the layout writes it, the others wait for it; then each thread takes its own scratch
 * (query bounds, hit lists) past it by growing the memory, which answers where its growth
 * began, so that threads growing at once get disjoint regions. A shared memory never shrinks:
 * it is freed with its last reference, when the call is over.
 */
import { ComputationStoppedError } from "@lacuna/core/internal";

/** Bytes in a WebAssembly page. */
export const PAGE_BYTES = 65536;

/** The kernel module's declared maximum (assembly/asconfig.json's maximumMemory): 4 GiB. */
export const MAX_PAGES = 65536;

/** A call's kernel memory and its layout's state, shared with every thread of the call. */
export interface KernelMemory {
  readonly memory: WebAssembly.Memory;
  /** Int32Array(1): EMPTY, BUILDING, READY or FAILED. */
  readonly state: SharedArrayBuffer;
}

const EMPTY = 0;
const BUILDING = 1;
const READY = 2;
const FAILED = 3;

/** How long a waiting thread sleeps between looks at its call's cancel flag. */
const WAIT_MS = 50;

/**
 * An empty shared memory for one index's kernel: nothing is resident until a thread lays it out
 * (only address space is reserved).
 * @throws RangeError where the engine has no address space left for it
 */
export function newKernelMemory(): KernelMemory {
  return {
    memory: new WebAssembly.Memory({ initial: 0, maximum: MAX_PAGES, shared: true }),
    state: new SharedArrayBuffer(4),
  };
}

/**
 * newKernelMemory, or null where the engine refuses it: each thread then makes a memory of its own
 * (the per-thread copy), so a full address space costs memory, never the call.
 */
export function tryKernelMemory(): KernelMemory | null {
  try {
    return newKernelMemory();
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * Ensures the layout (its first `bytes` bytes) is written: the first thread to ask grows the
 * memory and runs `fill` on its buffer; the others wait for it, polling `stop` every WAIT_MS
 * (a builder that died or a cancelled call never leaves them waiting: the pool sets the flag).
 * @returns true once the layout is there, false where the engine refused the memory (the threads
 *   then run the scalar kernel)
 * @throws ComputationStoppedError when `stop` answers true while waiting
 */
export function ensureLayout(
  kernel: KernelMemory,
  bytes: number,
  fill: (buffer: SharedArrayBuffer) => void,
  stop?: () => boolean,
): boolean {
  const state = new Int32Array(kernel.state);
  if (Atomics.compareExchange(state, 0, EMPTY, BUILDING) === EMPTY) {
    let outcome = FAILED;
    try {
      // nobody grows the memory before the layout is READY, so it starts at byte 0
      kernel.memory.grow(Math.ceil(bytes / PAGE_BYTES));
      fill(kernel.memory.buffer as SharedArrayBuffer);
      outcome = READY;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    } finally {
      Atomics.store(state, 0, outcome);
      Atomics.notify(state, 0);
    }
    return outcome === READY;
  }
  while (Atomics.load(state, 0) === BUILDING) {
    if (stop?.()) throw new ComputationStoppedError();
    Atomics.wait(state, 0, BUILDING, WAIT_MS);
  }
  return Atomics.load(state, 0) === READY;
}

/**
 * A region of at least `bytes` bytes of the memory for this thread alone (its byte offset), past
 * the layout and every other thread's region; null where the memory cannot grow that far.
 */
export function claimScratch(kernel: KernelMemory, bytes: number): number | null {
  try {
    return kernel.memory.grow(Math.ceil(bytes / PAGE_BYTES)) * PAGE_BYTES;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}
