import { readdir } from "node:fs/promises";
import { extname, join } from "node:path";
import { FileNotFoundError, InvalidFileError } from "../errors.js";
import type { ImageDataset } from "./dataset.js";

const IMAGE_EXTENSIONS = new Set([".png", ".jpg", ".jpeg"]);

export interface ImageFolderOptions {
  /** Output size, as the encoder expects: [height, width, channels] (channels 1 for grey, 3 for RGB). */
  readonly imageShape: readonly [number, number, number];
  /** Registry id; default "folder:<root>". */
  readonly id?: string;
}

/**
 * Loads an image folder: one sub-folder per class (sorted by name: their order is the class index),
 * PNG and JPEG files inside (sorted by name), grey or colour, each converted with sharp to the
 * requested channels and resized (stretched) to the requested height and width.
 * @throws FileNotFoundError for a missing root; InvalidFileError naming an unreadable image, or a
 *   root with no class folders or no images
 */
export async function loadImageFolder(
  root: string,
  options: ImageFolderOptions,
): Promise<ImageDataset> {
  // sharp (libvips) loads only when an image folder is read
  const { default: sharp } = await import("sharp");
  const [h, w, c] = options.imageShape;
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    throw new FileNotFoundError(
      root,
      "no such folder (an image folder holds one sub-folder per class)",
    );
  }
  const classNames = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (classNames.length === 0)
    throw new InvalidFileError(
      root,
      "no class folders: put each class's images in a sub-folder named after it",
    );
  const files: { path: string; label: number }[] = [];
  for (const [label, name] of classNames.entries()) {
    const inside = (await readdir(join(root, name), { withFileTypes: true }))
      .filter((e) => e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
    for (const file of inside) files.push({ path: join(root, name, file), label });
  }
  if (files.length === 0)
    throw new InvalidFileError(root, "no PNG or JPEG images in its class folders");
  const size = h * w * c;
  const pixels = new Uint8Array(files.length * size);
  const labels = new Int32Array(files.length);
  for (const [i, file] of files.entries()) {
    let raw: Buffer;
    try {
      let image = sharp(file.path, { failOn: "error" }).resize(w, h, { fit: "fill" }).removeAlpha();
      image = c === 1 ? image.grayscale() : image.toColourspace("srgb");
      raw = await image.raw().toBuffer();
    } catch (error) {
      throw new InvalidFileError(
        file.path,
        `unreadable image: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (raw.length !== size) {
      throw new InvalidFileError(
        file.path,
        `decoded to ${raw.length} bytes, expected ${h} x ${w} x ${c}`,
      );
    }
    pixels.set(raw, i * size);
    labels[i] = file.label;
  }
  return {
    id: options.id ?? `folder:${root}`,
    name: `images in ${root}`,
    kind: "image-folder",
    size: files.length,
    imageShape: [h, w, c],
    pixels,
    labels,
    classNames,
  };
}
