import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  FONT_CHARACTERS,
  GLYPH_ADVANCE,
  GLYPH_HEIGHT,
  GLYPH_WIDTH,
  MISSING_GLYPH,
  glyph,
} from "./bitmap-font.js";
import { BLACK, Raster, type Rgb, WHITE, hexToRgb, measureText } from "./raster.js";

const RED: Rgb = [255, 0, 0];

function pixel(raster: Raster, x: number, y: number): number[] {
  const i = (y * raster.width + x) * 3;
  return Array.from(raster.pixels.subarray(i, i + 3));
}

/** Every pixel of `raster` equals `expected(x, y)`. */
function expectPixels(raster: Raster, expected: (x: number, y: number) => Rgb): void {
  const wrong: string[] = [];
  for (let y = 0; y < raster.height; y++) {
    for (let x = 0; x < raster.width; x++) {
      const got = pixel(raster, x, y);
      if (got.join() !== expected(x, y).join()) wrong.push(`(${x}, ${y}) = ${got.join()}`);
    }
  }
  expect(wrong.slice(0, 5)).toEqual([]);
}

describe("bitmap font", () => {
  it("covers digits, letters, space and the punctuation the pictures need", () => {
    const wanted = `0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,:;=-+_#%()/?!<>'"`;
    for (const character of wanted) expect(FONT_CHARACTERS).toContain(character);
  });

  it("inks every glyph but space, none of them the missing-glyph box", () => {
    for (const character of FONT_CHARACTERS) {
      const bits = glyph(character);
      expect(bits).toHaveLength(GLYPH_WIDTH * GLYPH_HEIGHT);
      expect(bits.some((b) => b === 1)).toBe(character !== " ");
      expect(bits).not.toEqual(MISSING_GLYPH);
    }
  });

  it("gives a box for characters it lacks", () => {
    expect(glyph("é")).toBe(MISSING_GLYPH);
    expect(glyph("{")).toBe(MISSING_GLYPH);
  });
});

describe("Raster", () => {
  it("rejects sizes and scales out of range with the value received", () => {
    expect(() => new Raster(0, 10)).toThrow("width must be an integer in [1, 16384]; received 0");
    expect(() => new Raster(10, 1.5)).toThrow(RangeError);
    const raster = new Raster(4, 4);
    expect(() => raster.blitGrey(new Uint8Array(4), 2, 2, 0, 0, 0)).toThrow(/scale.*received 0/);
    expect(() => raster.text(0, 0, "a", BLACK, 0)).toThrow(RangeError);
    expect(() => raster.fillRect(Number.NaN, 0, 1, 1, BLACK)).toThrow(/x must be a finite/);
    expect(() => raster.fill([256, 0, 0])).toThrow(/colour channel/);
    expect(() => raster.blitGrey(new Uint8Array(3), 2, 2, 0, 0)).toThrow(/needs 4 bytes/);
    expect(() => raster.disc(1, 1, -1, BLACK)).toThrow("Raster: radius must be >= 0; received -1");
  });

  it("fills rectangles clipped to the raster", () => {
    const raster = new Raster(6, 5);
    raster.fillRect(-3, -2, 5, 4, RED);
    raster.fillRect(4, 3, 100, 100, BLACK);
    raster.fillRect(-50, 2, 10, 1, BLACK);
    raster.fillRect(10, 10, 3, 3, BLACK);
    expectPixels(raster, (x, y) => (x < 2 && y < 2 ? RED : x >= 4 && y >= 3 ? BLACK : WHITE));
  });

  it("upscales grey images with nearest neighbour at the offset, inverted on request", () => {
    const source = Uint8Array.of(10, 20, 30, 40, 50, 60); // 3 wide, 2 high
    const raster = new Raster(10, 8);
    raster.blitGrey(source, 3, 2, 1, 2, 2);
    expectPixels(raster, (x, y) => {
      if (x < 1 || x >= 7 || y < 2 || y >= 6) return WHITE;
      const v = source[Math.floor((y - 2) / 2) * 3 + Math.floor((x - 1) / 2)]!;
      return [v, v, v];
    });
    const inverted = new Raster(3, 2);
    inverted.blitGrey(source, 3, 2, 0, 0, 1, true);
    expectPixels(inverted, (x, y) => {
      const v = 255 - source[y * 3 + x]!;
      return [v, v, v];
    });
  });

  it("clips blits that hang over any edge", () => {
    const source = Uint8Array.from({ length: 16 }, (_, i) => i * 10); // 4 x 4
    const raster = new Raster(5, 5);
    raster.blitGrey(source, 4, 4, -3, -1, 2); // covers x -3..4, y -1..6
    raster.blitGrey(source, 4, 4, 3, 4, 3); // covers x 3..14, y 4..15: overwrites the bottom row
    raster.blitGrey(source, 4, 4, 100, -100, 3);
    expectPixels(raster, (x, y) => {
      const v =
        x >= 3 && y >= 4
          ? source[Math.floor((y - 4) / 3) * 4 + Math.floor((x - 3) / 3)]!
          : source[Math.floor((y + 1) / 2) * 4 + Math.floor((x + 3) / 2)]!;
      return [v, v, v];
    });
  });

  it("copies RGB images", () => {
    const source = Uint8Array.of(1, 2, 3, 4, 5, 6); // 2 x 1
    const raster = new Raster(4, 2);
    raster.blitRgb(source, 2, 1, 0, 0, 2);
    expectPixels(raster, (x) => (x < 2 ? [1, 2, 3] : [4, 5, 6]));
  });

  it("draws discs and rings by pixel centre, clipped", () => {
    const raster = new Raster(21, 21);
    raster.disc(10.5, 10.5, 3, RED);
    raster.ring(10.5, 10.5, 6, 2, BLACK);
    expect(pixel(raster, 10, 10)).toEqual([255, 0, 0]);
    expect(pixel(raster, 13, 10)).toEqual([255, 0, 0]); // distance 3
    expect(pixel(raster, 14, 10)).toEqual([255, 255, 255]); // distance 4: between disc and ring
    expect(pixel(raster, 15, 10)).toEqual([0, 0, 0]); // distance 5
    expect(pixel(raster, 16, 10)).toEqual([0, 0, 0]); // distance 6
    expect(pixel(raster, 17, 10)).toEqual([255, 255, 255]);
    raster.disc(0, 0, 50, RED);
    raster.ring(-100, 5, 3, 1, BLACK);
    expect(pixel(raster, 20, 20)).toEqual([255, 0, 0]);

    const dot = new Raster(3, 3);
    dot.disc(1.5, 1.5, 0.5, BLACK);
    expect(dot.pixels.filter((v) => v === 0)).toHaveLength(3);
  });

  it("writes a glyph as exactly the font's pixels, at any scale", () => {
    for (const scale of [1, 2, 3]) {
      const raster = new Raster(2 + GLYPH_WIDTH * scale + 3, 3 + GLYPH_HEIGHT * scale + 2);
      raster.text(2, 3, "A", RED, scale);
      const bits = glyph("A");
      expectPixels(raster, (x, y) => {
        const gx = Math.floor((x - 2) / scale);
        const gy = Math.floor((y - 3) / scale);
        const inside = x >= 2 && y >= 3 && gx < GLYPH_WIDTH && gy < GLYPH_HEIGHT;
        return inside && bits[gy * GLYPH_WIDTH + gx] === 1 ? RED : WHITE;
      });
    }
  });

  it("advances glyphs and lines, and draws unknown characters as boxes", () => {
    const raster = new Raster(20, 20);
    raster.text(0, 0, "i\n€", BLACK);
    const box = glyph("€");
    const i = glyph("i");
    expectPixels(raster, (x, y) => {
      if (x >= GLYPH_WIDTH) return WHITE;
      if (y < GLYPH_HEIGHT) return i[y * GLYPH_WIDTH + x] === 1 ? BLACK : WHITE;
      const by = y - 10;
      return by >= 0 && by < GLYPH_HEIGHT && box[by * GLYPH_WIDTH + x] === 1 ? BLACK : WHITE;
    });
    const two = new Raster(20, 10);
    two.text(0, 0, "..", BLACK);
    expect(pixel(two, 1 + GLYPH_ADVANCE, 5)).toEqual([0, 0, 0]);
  });

  it("clips text at every edge without throwing", () => {
    const raster = new Raster(7, 5);
    expect(() => {
      raster.text(-3, -4, "Hello", BLACK, 2);
      raster.text(4, 3, "Wg", BLACK, 3);
      raster.text(1000, -1000, "x", BLACK);
    }).not.toThrow();
    expect(raster.pixels.some((v) => v === 0)).toBe(true);
  });

  it("measures text without a trailing gap", () => {
    expect(measureText("AB")).toEqual({ width: 11, height: 8 });
    expect(measureText("A\nBCD")).toEqual({ width: 17, height: 18 });
    expect(measureText("")).toEqual({ width: 0, height: 8 });
    expect(new Raster(1, 1).measureText("AB", 2)).toEqual({ width: 22, height: 16 });
  });

  it("encodes to a PNG that decodes to the same pixels", async () => {
    const raster = new Raster(9, 4);
    raster.fillRect(2, 1, 3, 2, hexToRgb("#4e79a7"));
    const { data, info } = await sharp(await raster.toPng())
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([9, 4, 3]);
    expect(new Uint8Array(data)).toEqual(raster.pixels);
  });

  it("parses #rrggbb colours only", () => {
    expect(hexToRgb("#f28E2b")).toEqual([242, 142, 43]);
    expect(() => hexToRgb("f28e2b")).toThrow('a colour must be written #rrggbb; received "f28e2b"');
  });
});
