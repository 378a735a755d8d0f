import { mustBe } from "@lacuna/core";
import sharp from "sharp";
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, LINE_ADVANCE, glyph } from "./bitmap-font.js";

/** A colour as red, green, blue, each an integer in 0..255. */
export type Rgb = readonly [red: number, green: number, blue: number];

/** Largest width or height of a raster, in pixels; keeps a bad layout from exhausting memory. */
export const MAX_RASTER_SIDE = 16384;
/** Largest scale factor for blits and text. */
export const MAX_DRAW_SCALE = 64;

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];

/**
 * Checks that `value` is an integer in [min, max] and returns it; `what` names it in the
 * RangeError thrown otherwise ("gridPng: scale").
 */
export function requireInteger(what: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(mustBe(what, `an integer in [${min}, ${max}]`, value));
  }
  return value;
}

function requireFinite(what: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw new RangeError(mustBe(`Raster: ${what}`, "a finite number", value));
  }
  return value;
}

function requireRgb(rgb: Rgb): void {
  for (let c = 0; c < 3; c++) requireInteger("Raster: colour channel", rgb[c] ?? NaN, 0, 255);
}

/** Parses a "#rrggbb" colour. Throws a RangeError for any other form. */
export function hexToRgb(hex: string): Rgb {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) {
    throw new RangeError(mustBe("a colour", "written #rrggbb", hex));
  }
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/**
 * An RGB image in memory, drawn on with integer pixel coordinates (x to the right, y down, (0, 0)
 * the top-left pixel) and encoded to PNG with sharp. Every drawing call clips to the raster, so
 * shapes may lie partly or wholly outside it. Positions and sizes are rounded to whole pixels
 * except disc and ring centres and radii, which are exact: a pixel is inked when its centre
 * (x + 0.5, y + 0.5) lies inside the shape.
 */
export class Raster {
  /** Row-major RGB bytes, 3 per pixel: the pixel (x, y) starts at 3 * (y * width + x). */
  readonly pixels: Uint8Array;

  /**
   * @param width in pixels, an integer in 1..MAX_RASTER_SIDE (RangeError otherwise)
   * @param height in pixels, likewise
   * @param background the colour every pixel starts with
   */
  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = WHITE,
  ) {
    requireInteger("Raster: width", width, 1, MAX_RASTER_SIDE);
    requireInteger("Raster: height", height, 1, MAX_RASTER_SIDE);
    this.pixels = new Uint8Array(width * height * 3);
    this.fill(background);
  }

  /** Paints every pixel `rgb`. */
  fill(rgb: Rgb): void {
    this.fillRect(0, 0, this.width, this.height, rgb);
  }

  /** Paints the rectangle of `w` x `h` pixels whose top-left pixel is (x, y); empty if w or h <= 0. */
  fillRect(x: number, y: number, w: number, h: number, rgb: Rgb): void {
    requireRgb(rgb);
    const x0 = Math.max(0, Math.round(requireFinite("x", x)));
    const y0 = Math.max(0, Math.round(requireFinite("y", y)));
    const x1 = Math.min(this.width, Math.round(x) + Math.round(requireFinite("width", w)));
    const y1 = Math.min(this.height, Math.round(y) + Math.round(requireFinite("height", h)));
    // indexed reads, not destructuring: no iterator per call (text() calls this per font pixel)
    const r = rgb[0];
    const g = rgb[1];
    const b = rgb[2];
    const pixels = this.pixels;
    for (let ty = y0; ty < y1; ty++) {
      let i = (ty * this.width + x0) * 3;
      for (let tx = x0; tx < x1; tx++, i += 3) {
        pixels[i] = r;
        pixels[i + 1] = g;
        pixels[i + 2] = b;
      }
    }
  }

  /** Draws the outline of a `w` x `h` rectangle at (x, y), `thickness` pixels wide, inside it. */
  strokeRect(x: number, y: number, w: number, h: number, thickness: number, rgb: Rgb): void {
    const t = Math.min(Math.round(thickness), Math.ceil(w / 2), Math.ceil(h / 2));
    if (t <= 0) return;
    this.fillRect(x, y, w, t, rgb);
    this.fillRect(x, y + h - t, w, t, rgb);
    this.fillRect(x, y + t, t, h - 2 * t, rgb);
    this.fillRect(x + w - t, y + t, t, h - 2 * t, rgb);
  }

  /**
   * Copies a grey image (`w` x `h` bytes, row-major) with its top-left at (x, y), each source
   * pixel becoming a `scale` x `scale` block (nearest neighbour). With `invert`, v becomes
   * 255 - v (white digits on black turn into black on white).
   */
  blitGrey(
    pixels: Uint8Array,
    w: number,
    h: number,
    x: number,
    y: number,
    scale = 1,
    invert = false,
  ): void {
    this.blit(pixels, w, h, 1, x, y, scale, invert);
  }

  /** Like blitGrey for an RGB image of `w` x `h` pixels, 3 bytes each, row-major. */
  blitRgb(pixels: Uint8Array, w: number, h: number, x: number, y: number, scale = 1): void {
    this.blit(pixels, w, h, 3, x, y, scale, false);
  }

  private blit(
    source: Uint8Array,
    w: number,
    h: number,
    channels: 1 | 3,
    x: number,
    y: number,
    scale: number,
    invert: boolean,
  ): void {
    requireInteger("Raster: image width", w, 0, MAX_RASTER_SIDE);
    requireInteger("Raster: image height", h, 0, MAX_RASTER_SIDE);
    requireInteger("Raster: scale", scale, 1, MAX_DRAW_SCALE);
    if (source.length !== w * h * channels) {
      throw new RangeError(
        `Raster: a ${w} x ${h} image with ${channels} channel(s) needs ${w * h * channels} bytes, received ${source.length}`,
      );
    }
    const left = Math.round(requireFinite("x", x));
    const top = Math.round(requireFinite("y", y));
    const x0 = Math.max(0, left);
    const x1 = Math.min(this.width, left + w * scale);
    const y0 = Math.max(0, top);
    const y1 = Math.min(this.height, top + h * scale);
    const target = this.pixels;
    const flip = invert ? 255 : 0;
    for (let ty = y0; ty < y1; ty++) {
      const sourceRow = Math.floor((ty - top) / scale) * w;
      let i = (ty * this.width + x0) * 3;
      for (let tx = x0; tx < x1; tx++, i += 3) {
        const s = (sourceRow + Math.floor((tx - left) / scale)) * channels;
        if (channels === 1) {
          const v = Math.abs(flip - source[s]!);
          target[i] = v;
          target[i + 1] = v;
          target[i + 2] = v;
        } else {
          target[i] = source[s]!;
          target[i + 1] = source[s + 1]!;
          target[i + 2] = source[s + 2]!;
        }
      }
    }
  }

  /** Fills the disc of radius `r` (pixels, >= 0) centred on (cx, cy). */
  disc(cx: number, cy: number, r: number, rgb: Rgb): void {
    this.annulus(cx, cy, r, -1, rgb);
  }

  /**
   * Draws a ring of outer radius `r` and width `thickness` (pixels) centred on (cx, cy): the
   * pixels whose centres lie at a distance in (r - thickness, r]. A thickness of r or more fills
   * the whole disc.
   */
  ring(cx: number, cy: number, r: number, thickness: number, rgb: Rgb): void {
    requireFinite("ring thickness", thickness);
    const inner = r - thickness;
    this.annulus(cx, cy, r, inner > 0 ? inner * inner : -1, rgb);
  }

  /** Inks the pixels whose centres lie at a squared distance d2 with inner2 < d2 <= r * r. */
  private annulus(cx: number, cy: number, r: number, inner2: number, rgb: Rgb): void {
    requireFinite("centre x", cx);
    requireFinite("centre y", cy);
    if (requireFinite("radius", r) < 0) {
      throw new RangeError(mustBe("Raster: radius", ">= 0", r));
    }
    requireRgb(rgb);
    const outer2 = r * r;
    const x0 = Math.max(0, Math.floor(cx - r));
    const x1 = Math.min(this.width - 1, Math.ceil(cx + r));
    const y0 = Math.max(0, Math.floor(cy - r));
    const y1 = Math.min(this.height - 1, Math.ceil(cy + r));
    const red = rgb[0];
    const green = rgb[1];
    const blue = rgb[2];
    const pixels = this.pixels;
    for (let ty = y0; ty <= y1; ty++) {
      const dy = ty + 0.5 - cy;
      for (let tx = x0; tx <= x1; tx++) {
        const dx = tx + 0.5 - cx;
        const d2 = dx * dx + dy * dy;
        if (d2 > outer2 || d2 <= inner2) continue;
        const i = (ty * this.width + tx) * 3;
        pixels[i] = red;
        pixels[i + 1] = green;
        pixels[i + 2] = blue;
      }
    }
  }

  /**
   * Writes `text` in the built-in bitmap font with the top-left of its first glyph at (x, y),
   * each font pixel a `scale` x `scale` block (integer 1..MAX_DRAW_SCALE). "\n" starts a new
   * line; characters outside the font are drawn as boxes.
   */
  text(x: number, y: number, text: string, rgb: Rgb, scale = 1): void {
    requireInteger("Raster: text scale", scale, 1, MAX_DRAW_SCALE);
    requireRgb(rgb);
    const left = Math.round(requireFinite("x", x));
    let top = Math.round(requireFinite("y", y));
    for (const line of text.split("\n")) {
      let glyphLeft = left;
      for (const character of line) {
        const bits = glyph(character);
        for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
          for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
            if (bits[gy * GLYPH_WIDTH + gx] === 1) {
              this.fillRect(glyphLeft + gx * scale, top + gy * scale, scale, scale, rgb);
            }
          }
        }
        glyphLeft += GLYPH_ADVANCE * scale;
      }
      top += LINE_ADVANCE * scale;
    }
  }

  /** Size in pixels of what `text(x, y, text, rgb, scale)` covers; see measureText. */
  measureText(text: string, scale = 1): { width: number; height: number } {
    return measureText(text, scale);
  }

  /** Encodes the raster as a PNG (8-bit RGB). */
  toPng(): Promise<Buffer> {
    return sharp(this.pixels, {
      raw: { width: this.width, height: this.height, channels: 3 },
    })
      .png()
      .toBuffer();
  }
}

/**
 * Size in pixels of `text` drawn at `scale`: the width of its widest line (glyphs plus the gaps
 * between them, no trailing gap; 0 for an empty line) and the height of all its lines (the gaps
 * between lines included). The empty string is one empty line: width 0, one glyph high.
 */
export function measureText(text: string, scale = 1): { width: number; height: number } {
  requireInteger("measureText: scale", scale, 1, MAX_DRAW_SCALE);
  const lines = text.split("\n");
  let widest = 0;
  for (const line of lines) {
    widest = Math.max(widest, Array.from(line).length);
  }
  return {
    width: widest === 0 ? 0 : (widest * GLYPH_ADVANCE - 1) * scale,
    height: ((lines.length - 1) * LINE_ADVANCE + GLYPH_HEIGHT) * scale,
  };
}
