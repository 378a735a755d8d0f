/**
 * What a worker thread derives from one call's shared data (its WebAssembly copy of an index, its
 * onnxruntime copy of the points), built by the call's first task, reused by its later ones, and
 * dropped once the thread has had no task of that kind for RELEASE_MS: a long-lived pool (the
 * server's) must not hold a copy of the last call's data.
 */
export const RELEASE_MS = 5000;

export class HeldPerCall<K, T> {
  private current: { key: K; value: T } | undefined;
  private release: ReturnType<typeof setTimeout> | undefined;

  /** The value held for `key`, built by `build` (after dropping the previous one) when absent. */
  get(key: K, build: () => T): T {
    clearTimeout(this.release);
    if (this.current?.key !== key) {
      this.current = undefined; // let the previous call's memory go before allocating the next
      this.current = { key, value: build() };
    }
    return this.current.value;
  }

  /** Drops what is held for `key` (nothing if another key's value is held). */
  drop(key: K): void {
    if (this.current?.key === key) this.current = undefined;
  }

  /** The key of what is held, if anything (for tests). */
  heldKey(): K | undefined {
    return this.current?.key;
  }

  /** Starts the RELEASE_MS countdown; call at the end of each task. */
  scheduleRelease(): void {
    clearTimeout(this.release);
    this.release = setTimeout(() => {
      this.current = undefined;
    }, RELEASE_MS);
    this.release.unref();
  }
}
