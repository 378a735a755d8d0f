/** A labelled image dataset held in memory as bytes, the form every source is brought to. */
export interface ImageDataset {
  /** Registry id, e.g. "mnist:train". */
  readonly id: string;
  readonly name: string;
  readonly kind: "idx" | "image-folder";
  readonly size: number;
  /** Height, width, channels. */
  readonly imageShape: readonly [number, number, number];
  /** size x h x w x c pixel bytes, row-major (HWC per image). */
  readonly pixels: Uint8Array;
  /** One class index per image. */
  readonly labels: Int32Array;
  /** Class names by index ("0" to "9" for MNIST). */
  readonly classNames: readonly string[];
}

export interface ClassSummary {
  readonly index: number;
  readonly name: string;
  readonly count: number;
}

/** Every class with its number of samples, by class index (for images or labelled embeddings). */
export function classSummary(dataset: {
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
}): ClassSummary[] {
  const counts = new Array<number>(dataset.classNames.length).fill(0);
  for (const label of dataset.labels) counts[label] = (counts[label] ?? 0) + 1;
  return dataset.classNames.map((name, index) => ({ index, name, count: counts[index] ?? 0 }));
}

/** The pixel bytes of image i (a view, not a copy). */
export function imageBytes(dataset: ImageDataset, i: number): Uint8Array {
  const [h, w, c] = dataset.imageShape;
  const size = h * w * c;
  return dataset.pixels.subarray(i * size, (i + 1) * size);
}
