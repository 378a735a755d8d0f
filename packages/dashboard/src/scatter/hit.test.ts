import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PointIndex } from "./hit.js";

describe("PointIndex", () => {
  it("finds the nearest point within a radius, and none beyond it", () => {
    const index = new PointIndex([0, 0, 10, 0, 10, 10]);
    expect(index.size).toBe(3);
    expect(index.nearest(9, 1, 3)).toBe(1);
    expect(index.nearest(5, 5, 1)).toBeNull();
  });

  it("selects exactly the points inside a box, duplicates and edges included", () => {
    const point = fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }));
    fc.assert(
      fc.property(fc.array(point, { maxLength: 400 }), point, point, (points, a, b) => {
        const coordinates = points.flat().map((v) => v / 4);
        const [x0, x1] = [Math.min(a[0], b[0]) / 4, Math.max(a[0], b[0]) / 4];
        const [y0, y1] = [Math.min(a[1], b[1]) / 4, Math.max(a[1], b[1]) / 4];
        const mask = new PointIndex(coordinates).inBox(x0, y0, x1, y1);
        const expected = points.map(([x, y]) =>
          x / 4 >= x0 && x / 4 <= x1 && y / 4 >= y0 && y / 4 <= y1 ? 1 : 0,
        );
        expect(Array.from(mask)).toEqual(expected);
      }),
    );
  });

  it("agrees with a linear scan on the nearest distance", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -1, max: 1, noNaN: true }),
            fc.double({ min: -1, max: 1, noNaN: true }),
          ),
          { minLength: 1, maxLength: 200 },
        ),
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (points, x, y) => {
          const found = new PointIndex(points.flat()).nearest(x, y, Infinity)!;
          const d = (p: [number, number]) => Math.hypot(p[0] - x, p[1] - y);
          const best = Math.min(...points.map(d));
          expect(d(points[found]!)).toBeCloseTo(best, 12);
        },
      ),
    );
  });
});
