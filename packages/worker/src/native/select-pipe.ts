/**
 * The native thread's side of the select thread (select-thread.ts): starts it on first use, sends
 * it a call's start and blocks, and answers each block's promise with its reply. The Gemm of the
 * next block runs on the native thread while this one's block is scanned there (the pool keeps
 * two of a call's blocks in flight on the native thread: pool.ts's singleThread(2)).
 *
 * Each block's values move to the select thread without a copy: onnxruntime returns its output in
 * an ArrayBuffer of its own, which is transferred (it refuses shared memory as a pre-allocated
 * output, and two shared slots copied into took 33 MB more at the peak on MNIST pixels).
 */
import { Worker } from "node:worker_threads";
import type { SelectBlock, SelectReply, SelectStart } from "./select-thread.js";

type Answer = Exclude<SelectReply, { error: string }>;

export class SelectPipe {
  private worker: Worker | null = null;
  private readonly waiting = new Map<string, (reply: SelectReply) => void>();
  /** The call whose lists the select thread holds, and the first row it has not been sent. */
  call: number | null = null;
  next = 0;

  /** Starts `start.call`'s lists (dropping any other call's). */
  start(start: Omit<SelectStart, "type">): void {
    this.call = start.call;
    this.next = 0;
    this.thread().postMessage({ type: "start", ...start } satisfies SelectStart);
  }

  /**
   * Whether the block [rowA, rowB) of `call` continues the lists the select thread holds (the
   * call's blocks so far, in row order); if so it is claimed, so the next block can be asked
   * before this one's Gemm is done.
   */
  claim(call: number, rowA: number, rowB: number): boolean {
    if (this.call !== call || this.next !== rowA) return false;
    this.next = rowB;
    return true;
  }

  /**
   * Sends the block [rowA, rowB) (its shifted values, rowB - rowA rows of n - rowA) to be scanned
   * and its rows settled. `shifted` is moved there: empty here afterwards.
   * @returns the select thread's answer
   * @throws Error when the select thread failed or refused the block; `stopped` is set on the error
   *   when the call was cancelled
   */
  async block(call: number, rowA: number, rowB: number, shifted: Float32Array): Promise<Answer> {
    // the block's own call, not the pipe's current one: another call may have started its lists
    // while this block's Gemm ran (the select thread then refuses this block: TopK)
    // a view of part of a buffer is copied out first: only a whole buffer can be moved
    const values =
      shifted.byteOffset === 0 && shifted.byteLength === shifted.buffer.byteLength
        ? shifted
        : shifted.slice();
    const reply = new Promise<SelectReply>((resolve) =>
      this.waiting.set(`${call}:${rowA}`, resolve),
    );
    const thread = this.thread();
    // kept alive while a reply is awaited, never after (a process must be able to exit)
    thread.ref();
    const message: SelectBlock = { type: "block", call, rowA, rowB, values };
    thread.postMessage(message, [values.buffer as ArrayBuffer]);
    const answer = await reply;
    if ("error" in answer) {
      this.finish(call);
      throw Object.assign(new Error(answer.error), { stopped: answer.stopped });
    }
    return answer;
  }

  /** Whether the select thread is running. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Starts the select thread ahead of a call's first block (it takes a while to load). */
  warm(): void {
    this.thread();
  }

  /** Stops the select thread where no call is using it (it is started again when needed). */
  stopIdle(): void {
    const worker = this.worker;
    if (worker === null || this.call !== null || this.waiting.size > 0) return;
    this.worker = null;
    worker.removeAllListeners();
    void worker.terminate();
  }

  /** Ends the call's use of the pipe (its last block was sent, or it failed). */
  finish(call: number): void {
    if (this.call === call) this.call = null;
  }

  private thread(): Worker {
    if (this.worker === null) {
      // ../../dist from both src/native (tests) and dist/native: the build puts the thread there
      const worker = new Worker(new URL("../../dist/native/select-thread.js", import.meta.url));
      worker.unref();
      worker.on("message", (reply: SelectReply) => {
        const key = `${reply.call}:${reply.rowA}`;
        this.waiting.get(key)?.(reply);
        this.waiting.delete(key);
        if (this.waiting.size === 0) worker.unref();
      });
      const fail = (why: string) => {
        this.worker = null;
        this.call = null;
        for (const [key, resolve] of this.waiting) {
          const [call, rowA] = key.split(":").map(Number);
          resolve({ call: call!, rowA: rowA!, error: why, stopped: false });
        }
        this.waiting.clear();
      };
      worker.on("error", (error) => fail(`select thread failed: ${String(error)}`));
      worker.on("exit", (code) => fail(`select thread exited (${code})`));
      this.worker = worker;
    }
    return this.worker;
  }
}
