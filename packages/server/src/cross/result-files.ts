import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Finished results as JSON files in one folder of the data directory, keyed by the request's hash,
 * with the most recent few kept decoded in memory. A write goes through a temporary file renamed
 * into place (a crash leaves the old state, never a torn file); a file that cannot be read or
 * parsed counts as absent and is recomputed. Files rather than SQLite tables: these results are
 * caches of pure functions of their key, like the embedding and projection caches beside them.
 */
export class ResultFiles<T> {
  private readonly recent = new Map<string, T>();

  constructor(
    private readonly dir: string,
    private readonly onWriteError?: (error: Error) => void,
  ) {}

  async find(key: string): Promise<T | null> {
    const hit = this.recent.get(key);
    if (hit !== undefined) return hit;
    try {
      const value = JSON.parse(await readFile(this.path(key), "utf8")) as T;
      this.remember(key, value);
      return value;
    } catch {
      return null;
    }
  }

  /** Keeps `value` in memory and writes it; a failed write is reported, not thrown (it is a cache). */
  async save(key: string, value: T): Promise<void> {
    this.remember(key, value);
    // random, not the pid alone: servers on several machines (containers: often all pid 1) may
    // share the data directory and save the same key at once
    const tmp = `${this.path(key)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(tmp, JSON.stringify(value));
      await rename(tmp, this.path(key));
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      this.onWriteError?.(error as Error);
    }
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  private remember(key: string, value: T): void {
    this.recent.delete(key);
    this.recent.set(key, value);
    if (this.recent.size > 8) this.recent.delete(this.recent.keys().next().value!);
  }
}
