import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extentOf, fitView, panBy, screenBoxToData, toData, toScreen, zoomAt } from "./view.js";

describe("scatter view", () => {
  it("fits the points with a margin, keeping the aspect ratio, centred, y up", () => {
    // a 2 x 1 rectangle into a 100 x 100 box with a 10 px margin: scale 40
    const view = fitView(extentOf([0, 0, 2, 0, 2, 1, 0, 1]), 100, 100, 10);
    expect(view.scale).toBe(40);
    expect(toScreen(view, 0, 0)).toEqual([10, 70]);
    expect(toScreen(view, 2, 1)).toEqual([90, 30]);
  });

  it("survives a single point, identical points and no points", () => {
    expect(toScreen(fitView(extentOf([3, 3]), 50, 50), 3, 3)).toEqual([25, 25]);
    expect(extentOf([])).toEqual([-0.5, -0.5, 0.5, 0.5]);
    const same = fitView(extentOf([1, 1, 1, 1]), 40, 40);
    expect(Number.isFinite(same.scale) && same.scale > 0).toBe(true);
  });

  it("maps back and forth, and zooms about the pointer, which stays put", () => {
    const coord = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    fc.assert(
      fc.property(
        coord,
        coord,
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        coord,
        coord,
        (px, py, factor, sx, sy) => {
          const view = fitView([-10, -5, 10, 5], 400, 300);
          const [x, y] = toData(view, ...toScreen(view, px, py));
          expect(x).toBeCloseTo(px, 6);
          expect(y).toBeCloseTo(py, 6);
          const zoomed = zoomAt(view, factor, sx, sy, 1e-6, 1e6);
          const before = toData(view, sx, sy);
          const after = toData(zoomed, sx, sy);
          expect(after[0]).toBeCloseTo(before[0], 6);
          expect(after[1]).toBeCloseTo(before[1], 6);
        },
      ),
    );
  });

  it("limits the zoom and pans in screen pixels", () => {
    const view = { scale: 10, x: 0, y: 0 };
    expect(zoomAt(view, 100, 0, 0, 1, 50).scale).toBe(50);
    expect(zoomAt(view, 0.001, 0, 0, 1, 50).scale).toBe(1);
    expect(panBy(view, 5, -3)).toEqual({ scale: 10, x: 5, y: -3 });
  });

  it("turns a dragged screen box into an ordered projection box", () => {
    const view = { scale: 10, x: 100, y: 100 };
    expect(screenBoxToData(view, 120, 80, 90, 110)).toEqual([-1, -1, 2, 2]);
  });
});
