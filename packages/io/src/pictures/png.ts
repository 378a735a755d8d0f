import sharp from "sharp";

/** Largest upscale factor an image request may ask for. */
export const MAX_IMAGE_SCALE = 16;

/**
 * Encodes one image (row-major bytes, height x width x channels, channels 1 or 3) as a PNG data
 * URL, scaled up `scale` times with nearest-neighbour sampling so that pixels stay crisp.
 */
export async function pngDataUrl(
  pixels: Uint8Array,
  shape: readonly [number, number, number],
  scale = 1,
): Promise<string> {
  const [height, width, channels] = shape;
  let image = sharp(pixels, { raw: { width, height, channels: channels as 1 | 3 } });
  if (scale !== 1) image = image.resize(width * scale, height * scale, { kernel: "nearest" });
  const png = await image.png().toBuffer();
  return `data:image/png;base64,${png.toString("base64")}`;
}
