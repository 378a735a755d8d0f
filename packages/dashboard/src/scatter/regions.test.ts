import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { regionOutlines } from "./regions.js";

describe("regionOutlines", () => {
  it("encloses every projected member, finds them by dataset index and skips the others", () => {
    const points = {
      coordinates: [0, 0, 2, 0, 0, 2, 10, 10],
      indices: [40, 41, 42, 43],
    };
    const outlines = regionOutlines(points, [
      { id: 0, members: [40, 41, 42, 99] },
      { id: 1, members: [98] },
      { id: 2, members: [43] },
    ]);
    expect(outlines.map((o) => o.id)).toEqual([0, 2]);
    const [a, b] = outlines;
    expect(a).toMatchObject({ count: 3 });
    expect(a!.x).toBeCloseTo(2 / 3, 12);
    expect(a!.y).toBeCloseTo(2 / 3, 12);
    expect(a!.r).toBeCloseTo(Math.hypot(2 - 2 / 3, 2 / 3), 12);
    expect(b).toEqual({ id: 2, x: 10, y: 10, r: 0, count: 1 });
  });

  it("holds each region's members within r of its centre (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -50, max: 50, noNaN: true }),
            fc.double({ min: -50, max: 50, noNaN: true }),
          ),
          { minLength: 1, maxLength: 60 },
        ),
        fc.array(fc.nat(80), { maxLength: 30 }),
        (xy, members) => {
          const points = { coordinates: xy.flat(), indices: xy.map((_, i) => i * 2) };
          const [o] = regionOutlines(points, [{ id: 5, members }]);
          const on = members.filter((m) => m % 2 === 0 && m / 2 < xy.length);
          if (on.length === 0) {
            expect(o).toBeUndefined();
            return;
          }
          expect(o!.count).toBe(on.length);
          for (const m of on) {
            const [x, y] = xy[m / 2]!;
            expect(Math.hypot(x - o!.x, y - o!.y)).toBeLessThanOrEqual(o!.r * (1 + 1e-12) + 1e-12);
          }
        },
      ),
    );
  });
});
