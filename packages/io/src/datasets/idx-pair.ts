import { InvalidFileError } from "../errors.js";
import { readIdxFile } from "../formats/idx-file.js";
import type { ImageDataset } from "./dataset.js";

/**
 * Loads an IDX image file (uint8, n x rows x cols) and its label file (uint8, n), MNIST's layout.
 * Class names are the label values 0 .. max label.
 * @throws InvalidFileError naming the file and what does not fit
 */
export async function loadIdxPair(
  imagesPath: string,
  labelsPath: string,
  meta: { id: string; name: string },
): Promise<ImageDataset> {
  // read both at once, but report a failure of the images file first, whichever failed sooner
  const [imagesRead, labelsRead] = await Promise.allSettled([
    readIdxFile(imagesPath),
    readIdxFile(labelsPath),
  ]);
  if (imagesRead.status === "rejected") throw imagesRead.reason;
  if (labelsRead.status === "rejected") throw labelsRead.reason;
  const images = imagesRead.value;
  const labels = labelsRead.value;
  if (images.dtype !== "uint8" || images.shape.length !== 3) {
    throw new InvalidFileError(
      imagesPath,
      `images must be uint8 of shape (n, rows, cols); found ${images.dtype} (${images.shape.join(", ")})`,
    );
  }
  if (labels.dtype !== "uint8" || labels.shape.length !== 1) {
    throw new InvalidFileError(
      labelsPath,
      `labels must be uint8 of shape (n,); found ${labels.dtype} (${labels.shape.join(", ")})`,
    );
  }
  const [n, h, w] = images.shape as [number, number, number];
  if (labels.shape[0] !== n) {
    throw new InvalidFileError(
      labelsPath,
      `${labels.shape[0]} labels for ${n} images in ${imagesPath}`,
    );
  }
  if (n === 0) throw new InvalidFileError(imagesPath, "holds no images");
  const labelArray = Int32Array.from(labels.data);
  let max = 0;
  for (const v of labelArray) if (v > max) max = v;
  return {
    id: meta.id,
    name: meta.name,
    kind: "idx",
    size: n,
    imageShape: [h, w, 1],
    pixels: images.data,
    labels: labelArray,
    classNames: Array.from({ length: max + 1 }, (_, i) => String(i)),
  };
}
