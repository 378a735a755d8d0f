/**
 * Pictures for GraphQL's `image(scale)` fields, off the event loop (issue 16): the images asked
 * for in one turn of the event loop (every `image` of a list is resolved in the same turn) are
 * encoded together off the event loop (statistics-thread.ts's picturesOnThread, on the thread it
 * keeps for pictures), grouped by shape and scale, at most BATCH_IMAGES to a batch.
 */
import { picturesOnThread } from "../coverage/statistics-thread.js";

/** Most images one batch holds (bounds the copy of their bytes, 28 x 28: 0.8 MB). */
export const BATCH_IMAGES = 1000;

interface Waiting {
  readonly pixels: Uint8Array;
  readonly resolve: (url: string) => void;
  readonly reject: (error: unknown) => void;
}

interface Group {
  readonly shape: readonly [number, number, number];
  readonly scale: number;
  readonly waiting: Waiting[];
}

/** Collects pictures until the event loop's next turn, then sends them off in batches. */
export class PictureBatcher {
  private groups = new Map<string, Group>();
  /** Batches sent so far (for tests: a list of pictures takes one, not one per picture). */
  batches = 0;

  /**
   * One image (bytes height x width x channels, as io's pngDataUrl takes them) as a PNG data URL,
   * scaled up `scale` times (checked by the caller).
   */
  encode(pixels: Uint8Array, shape: readonly [number, number, number], scale: number) {
    return new Promise<string>((resolve, reject) => {
      const key = `${shape.join("x")}@${scale}`;
      if (this.groups.size === 0) setImmediate(() => this.flush());
      let group = this.groups.get(key);
      if (!group) this.groups.set(key, (group = { shape, scale, waiting: [] }));
      group.waiting.push({ pixels, resolve, reject });
    });
  }

  private flush(): void {
    const groups = [...this.groups.values()];
    this.groups = new Map();
    for (const { shape, scale, waiting } of groups) {
      for (let a = 0; a < waiting.length; a += BATCH_IMAGES) {
        const batch = waiting.slice(a, a + BATCH_IMAGES);
        const size = shape[0] * shape[1] * shape[2];
        const packed = new Uint8Array(batch.length * size);
        batch.forEach((w, i) => packed.set(w.pixels, i * size));
        this.batches++;
        picturesOnThread(packed, batch.length, shape, scale).then(
          (urls) => batch.forEach((w, i) => w.resolve(urls[i]!)),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        );
      }
    }
  }
}

/** The server's one batcher. */
export const pictureBatcher = new PictureBatcher();
