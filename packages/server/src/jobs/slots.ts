/**
 * Computation slots: at most `size` holders at once, the rest wait in order (none dropped); a
 * waiter whose signal aborts leaves the line. Small enough that a dependency (p-limit wraps
 * functions, not hold-until-released slots) would not save code.
 */
export class Slots {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  /** Slots held now (never more than `size`). */
  get inUse(): number {
    return this.held;
  }

  /** Resolves once a slot is held; rejects with the signal's reason if it aborts first. */
  acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.held < this.size) {
      this.held++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = () => {
        signal.removeEventListener("abort", onAbort);
        this.held++;
        resolve();
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(start);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(start);
    });
  }

  /** Gives a slot back to the first in line. */
  release(): void {
    this.held--;
    this.waiting.shift()?.();
  }
}
