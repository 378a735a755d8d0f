import { describe, expect, it } from "vitest";
import { type Decoded, decode, rgbAt } from "../test-support/png.js";
import { type GridTile, gridLayout, gridPng } from "./grid-png.js";

/** A 28 x 28 grey tile with a pattern distinct per tile. */
function greyTile(t: number, caption = `${t % 10} r=0.${t}`): GridTile {
  const pixels = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 37 + t * 11) % 256);
  return { pixels, shape: [28, 28, 1], caption };
}

/** The dark (all channels < 64) pixels' x range in a box, or null when there are none. */
function darkRange(image: Decoded, x0: number, y0: number, x1: number, y1: number) {
  let min = Infinity;
  let max = -Infinity;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (rgbAt(image, x, y).every((v) => v < 64)) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
    }
  }
  return min === Infinity ? null : { min, max };
}

describe("gridPng", () => {
  const tiles = Array.from({ length: 20 }, (_, t) => greyTile(t));

  it("lays 20 tiles of 28 x 28 at scale 3 out as 5 columns by 4 rows", async () => {
    // a cell is the framed image (84 + 2) wide and, with a 4 px gap and one 8 px caption line,
    // 98 high; 8 px around the picture and between cells
    const image = await decode(await gridPng(tiles));
    expect([image.width, image.height]).toEqual([8 + 5 * 86 + 4 * 8 + 8, 8 + 4 * 98 + 3 * 8 + 8]);
    const layout = gridLayout(tiles);
    expect([layout.columns, layout.rows, layout.cellWidth, layout.cellHeight]).toEqual([
      5, 4, 86, 98,
    ]);
    // tile 6 sits in row 1, column 1, inside its 1 px frame
    expect([layout.images[12], layout.images[13]]).toEqual([8 + 86 + 8 + 1, 8 + 98 + 8 + 1]);
  });

  it("puts each tile's upscaled pixels at its offset, framed in grey", async () => {
    const image = await decode(await gridPng(tiles, { scale: 3 }));
    const layout = gridLayout(tiles, { scale: 3 });
    tiles.forEach((tile, t) => {
      const left = layout.images[2 * t]!;
      const top = layout.images[2 * t + 1]!;
      let mismatches = 0;
      for (let y = 0; y < 84; y++) {
        for (let x = 0; x < 84; x++) {
          const v = tile.pixels[Math.floor(y / 3) * 28 + Math.floor(x / 3)]!;
          if (rgbAt(image, left + x, top + y).some((c) => c !== v)) mismatches++;
        }
      }
      expect(mismatches, `tile ${t}`).toBe(0);
      expect(rgbAt(image, left - 1, top + 10)).toEqual([170, 170, 170]);
      expect(rgbAt(image, left + 84, top + 84)).toEqual([170, 170, 170]);
      expect(rgbAt(image, left - 2, top + 10)).toEqual([255, 255, 255]);
    });
  });

  it("writes each caption dark, centred under its tile", async () => {
    const image = await decode(await gridPng(tiles));
    const layout = gridLayout(tiles);
    tiles.forEach((_, t) => {
      const left = layout.images[2 * t]!;
      const captionTop = layout.images[2 * t + 1]! + 84 + 1 + 4;
      const range = darkRange(image, left - 1, captionTop, left + 85, captionTop + 8);
      expect(range, `caption of tile ${t}`).not.toBeNull();
      // "3 r=0.13" is 8 glyphs: 47 px, centred in the 86 px cell
      const centre = (range!.min + range!.max + 1) / 2;
      expect(Math.abs(centre - (left - 1 + 43))).toBeLessThanOrEqual(3);
      // nothing dark between the frame and the caption
      expect(darkRange(image, left - 1, captionTop - 3, left + 85, captionTop)).toBeNull();
    });
  });

  it("adds the title on top and widens cells for long or multi-line captions", async () => {
    const titled = await decode(await gridPng(tiles.slice(0, 2), { title: "Least covered" }));
    // title: 16 px at scale 2, then 8 px; two cells of 86 side by side
    expect([titled.width, titled.height]).toEqual([8 + 86 + 8 + 86 + 8, 8 + 16 + 8 + 98 + 8]);
    expect(darkRange(titled, 0, 8, titled.width, 24)).not.toBeNull();

    const long = [greyTile(0, "a caption of 20 char"), greyTile(1, "label 7\nr=0.25")];
    const layout = gridLayout(long, { columns: 1, scale: 2 });
    expect([layout.cellWidth, layout.cellHeight]).toEqual([20 * 6 - 1, 58 + 4 + 18]);
    const image = await decode(await gridPng(long, { columns: 1, scale: 2 }));
    expect([image.width, image.height]).toEqual([8 + 119 + 8, 8 + 2 * 80 + 8 + 8]);
    const secondLine = layout.images[3]! + 56 + 1 + 4 + 10;
    expect(darkRange(image, 0, secondLine, image.width, secondLine + 8)).not.toBeNull();
  });

  it("draws RGB tiles in colour beside grey ones", async () => {
    const red = Uint8Array.from({ length: 4 * 4 * 3 }, (_, i) => (i % 3 === 0 ? 200 : 10));
    const mixed: GridTile[] = [greyTile(0), { pixels: red, shape: [4, 4, 3], caption: "rgb" }];
    const image = await decode(await gridPng(mixed, { scale: 2 }));
    const layout = gridLayout(mixed, { scale: 2 });
    expect(rgbAt(image, layout.images[2]!, layout.images[3]!)).toEqual([200, 10, 10]);
    expect(rgbAt(image, layout.images[2]! + 7, layout.images[3]! + 7)).toEqual([200, 10, 10]);
  });

  it("gives a valid picture for no tiles or a single one", async () => {
    const empty = await decode(await gridPng([]));
    expect([empty.width, empty.height]).toEqual([16, 16]);
    expect(empty.data.every((v) => v === 255)).toBe(true);
    const titled = await decode(await gridPng([], { title: "none" }));
    expect([titled.width, titled.height]).toEqual([8 + (4 * 6 - 1) * 2 + 8, 8 + 16 + 8 + 8]);
    const one = await decode(await gridPng([greyTile(3)]));
    expect([one.width, one.height]).toEqual([8 + 86 + 8, 8 + 98 + 8]);
  });

  it("rejects bad options and tiles with a message naming the value", async () => {
    await expect(gridPng(tiles, { columns: 0 })).rejects.toThrow(
      new RangeError("gridPng: columns must be an integer in [1, 1000]; received 0"),
    );
    await expect(gridPng(tiles, { scale: 0 })).rejects.toThrow(/scale must be .*received 0/);
    await expect(gridPng(tiles, { scale: 2.5 })).rejects.toThrow(RangeError);
    await expect(gridPng(tiles, { scale: 17 })).rejects.toThrow(
      "gridPng: scale must be an integer in [1, 16]; received 17",
    );
    const bad = { pixels: new Uint8Array(10), shape: [2, 2, 2] as const, caption: "" };
    await expect(gridPng([bad])).rejects.toThrow(
      "gridPng: tile 0: channels must be 1 (grey) or 3 (RGB); received 2",
    );
    const short = { pixels: new Uint8Array(10), shape: [28, 28, 1] as const, caption: "" };
    await expect(gridPng([short])).rejects.toThrow(/tile 0: .* needs 784 bytes, received 10/);
    const many = Array.from({ length: 400 }, (_, t) => greyTile(t));
    await expect(gridPng(many, { columns: 1, scale: 16 })).rejects.toThrow(/more than 16384/);
  });
});
