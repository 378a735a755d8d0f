/**
 * Reading back the PNGs the server draws, for the image tests (not built into dist: see
 * tsconfig.json's exclude).
 */
import sharp from "sharp";
import { expect } from "vitest";

export interface Decoded {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The PNG's RGB pixels; it must have no alpha channel. */
export async function decode(png: Buffer): Promise<Decoded> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** The colour of the pixel that holds (x, y). */
export function rgbAt(image: Decoded, x: number, y: number): number[] {
  const i = (Math.floor(y) * image.width + Math.floor(x)) * 3;
  return Array.from(image.data.subarray(i, i + 3));
}
