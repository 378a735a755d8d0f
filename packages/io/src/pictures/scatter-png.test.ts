import { describe, expect, it } from "vitest";
import { type Decoded, decode, rgbAt } from "../test-support/png.js";
import {
  LEGEND_ROW,
  LEGEND_SWATCH,
  TABLEAU_10,
  UNLABELLED_GREY,
  scatterLayout,
  scatterPng,
} from "./scatter-png.js";

/** How many pixels of the box [x0, x1) x [y0, y1) have colour `rgb`. */
function count(
  image: Decoded,
  rgb: readonly number[],
  x0: number,
  y0: number,
  x1: number,
  y1: number,
) {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) if (rgbAt(image, x, y).join() === rgb.join()) n++;
  }
  return n;
}

const BLACK = [0, 0, 0];

// three classes in a spread of 4 x 3 units; rows 2 and 4 uncovered
const coordinates = Float64Array.of(0, 0, 4, 0, 2, 3, 4, 3, 1, 1.5, 3, 1);
const labels = [0, 1, 2, 0, 1, 2];
const uncovered = new Set([4, 2]);

describe("scatterPng", () => {
  it("draws uncovered points in their class colour with a black ring", async () => {
    const image = await decode(await scatterPng(coordinates, labels, uncovered));
    expect([image.width, image.height]).toEqual([800, 800]);
    const { positions } = scatterLayout(coordinates, labels, uncovered);
    for (const i of uncovered) {
      const x = positions[2 * i]!;
      const y = positions[2 * i + 1]!;
      const colour = TABLEAU_10[labels[i]!]!;
      expect(rgbAt(image, x, y), `centre of row ${i}`).toEqual([...colour]);
      // the ring covers distances 4.5..6.5 from the centre
      expect(rgbAt(image, x + 5.5, y), `ring right of row ${i}`).toEqual(BLACK);
      expect(rgbAt(image, x, y - 5.5), `ring above row ${i}`).toEqual(BLACK);
      expect(rgbAt(image, x + 8, y)).toEqual([255, 255, 255]);
    }
    for (const i of [0, 1, 3, 5]) {
      const colour = TABLEAU_10[labels[i]!]!;
      expect(rgbAt(image, positions[2 * i]!, positions[2 * i + 1]!)).toEqual([...colour]);
      expect(rgbAt(image, positions[2 * i]! + 5.5, positions[2 * i + 1]!)).not.toEqual(BLACK);
    }
  });

  it("fits the data keeping its aspect ratio, y up, markers inside the plot", () => {
    const { positions, plot } = scatterLayout(coordinates, labels, uncovered);
    const sx = (positions[2]! - positions[0]!) / 4; // rows 0 and 1: x 0 -> 4
    const sy = (positions[1]! - positions[5]!) / 3; // rows 0 and 2: y 0 -> 3, drawn upwards
    expect(sx).toBeGreaterThan(100);
    expect(sy).toBeCloseTo(sx, 9);
    for (let i = 0; i < 6; i++) {
      expect(positions[2 * i]! - 7).toBeGreaterThan(plot.x);
      expect(positions[2 * i]! + 7).toBeLessThan(plot.x + plot.width);
      expect(positions[2 * i + 1]! - 7).toBeGreaterThan(plot.y);
      expect(positions[2 * i + 1]! + 7).toBeLessThan(plot.y + plot.height);
    }
    // the wider dimension fills the plot, the other is centred
    expect(positions[0]! + positions[2]!).toBeCloseTo(2 * plot.x + plot.width, 9);
    expect(positions[1]! + positions[5]!).toBeCloseTo(2 * plot.y + plot.height, 9);
  });

  it("shows a legend swatch and name for each class present", async () => {
    const options = { classNames: ["zero", "one", "two"], title: "Projection" };
    const image = await decode(await scatterPng(coordinates, labels, uncovered, options));
    const layout = scatterLayout(coordinates, labels, uncovered, options);
    expect(layout.entries.map((e) => e.text)).toEqual(["zero", "one", "two", "uncovered"]);
    const { x, y } = layout.legend;
    for (let k = 0; k < 3; k++) {
      const top = y + k * LEGEND_ROW;
      const colour = [...TABLEAU_10[k]!];
      const right = x + LEGEND_SWATCH;
      expect(count(image, colour, x, top, right, top + LEGEND_SWATCH)).toBe(100);
      expect(count(image, BLACK, right, top, image.width, top + LEGEND_SWATCH)).toBeGreaterThan(5);
    }
    const marker = y + 3 * LEGEND_ROW;
    expect(
      count(image, BLACK, x, marker, x + LEGEND_SWATCH, marker + LEGEND_SWATCH),
    ).toBeGreaterThan(10);
    // the title is above the plot
    expect(count(image, BLACK, 0, 0, image.width, layout.plot.y)).toBeGreaterThan(50);
  });

  it("colours null labels grey, wraps labels past 10 and draws uncovered points last", async () => {
    const xy = Float64Array.of(0, 0, 0, 0, 5, 5, 10, 10);
    const rows = [12, 0, null, 3];
    const image = await decode(
      await scatterPng(xy, rows, new Set([0]), { width: 300, height: 200 }),
    );
    const layout = scatterLayout(xy, rows, new Set([0]), { width: 300, height: 200 });
    const p = layout.positions;
    expect(rgbAt(image, p[0]!, p[1]!)).toEqual([...TABLEAU_10[2]!]); // on top of row 1
    expect(rgbAt(image, p[4]!, p[5]!)).toEqual([...UNLABELLED_GREY]);
    expect(layout.entries.map((e) => e.text)).toEqual(["0", "3", "12", "no label", "uncovered"]);
  });

  it("gives a valid picture for one point, identical points, no points and tiny sizes", async () => {
    for (const [xy, rows] of [
      [Float64Array.of(3, -7), [1]],
      [Float64Array.of(2, 2, 2, 2, 2, 2), [0, 1, null]],
      [new Float64Array(0), []],
    ] as const) {
      const layout = scatterLayout(xy, rows, new Set());
      for (const v of layout.positions) expect(Number.isFinite(v)).toBe(true);
      if (rows.length > 0) {
        expect(layout.positions[0]).toBe(layout.plot.x + layout.plot.width / 2);
        expect(layout.positions[1]).toBe(layout.plot.y + layout.plot.height / 2);
      }
      const image = await decode(await scatterPng(xy, rows, new Set(rows.length ? [0] : [])));
      expect([image.width, image.height]).toEqual([800, 800]);
    }
    for (const size of [1, 20]) {
      const image = await decode(
        await scatterPng(coordinates, labels, uncovered, { width: size, height: size, title: "t" }),
      );
      expect([image.width, image.height]).toEqual([size, size]);
    }
    const huge = Float64Array.of(-1e308, 1e308, 1e308, -1e308);
    const layout = scatterLayout(huge, [0, 1], new Set());
    for (const v of layout.positions) expect(Number.isFinite(v)).toBe(true);
  });

  it("rejects bad input with a message naming the value", async () => {
    await expect(scatterPng(coordinates, labels, uncovered, { width: 0 })).rejects.toThrow(
      new RangeError("scatterPng: width must be an integer in [1, 16384]; received 0"),
    );
    await expect(
      scatterPng(coordinates, labels, uncovered, { height: Number.NaN }),
    ).rejects.toThrow(/height must be .*received NaN/);
    await expect(scatterPng(Float64Array.of(0, Number.NaN), [0], new Set())).rejects.toThrow(
      new RangeError("scatterPng: coordinate y of row 0 must be finite; received NaN"),
    );
    await expect(scatterPng(Float64Array.of(0, 1, 2), [0], new Set())).rejects.toThrow(
      /2 numbers per point, received 3/,
    );
    await expect(scatterPng(coordinates, [0, 1], new Set())).rejects.toThrow(
      /6 points need 6 labels, received 2/,
    );
    await expect(scatterPng(coordinates, labels, new Set([6]))).rejects.toThrow(
      "scatterPng: an uncovered row index must be an integer in [0, 5]; received 6",
    );
    await expect(scatterPng(Float64Array.of(0, 0), [1.5], new Set())).rejects.toThrow(
      "scatterPng: the label of row 0 must be null or an integer >= 0; received 1.5",
    );
    const notTyped = [0, 0] as unknown as Float64Array;
    await expect(scatterPng(notTyped, [0], new Set())).rejects.toThrow(TypeError);
  });
});
