import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEED_CONTROLS } from "./controls.js";
import {
  COLOUR_BY,
  DEFAULT_VIEW,
  GRID_ORDERS,
  type ViewState,
  parseView,
  viewToQuery,
} from "./url-state.js";

describe("URL state", () => {
  it("defaults to the seed scenario, first page, by radius, coloured by label", () => {
    expect(parseView("")).toEqual(DEFAULT_VIEW);
    expect(viewToQuery(DEFAULT_VIEW)).toBe(
      "dataset=mnist%3Atrain&limit=2000&k=20&percent=0.01&method=ADAPTIVE&projection=TSNE",
    );
  });

  it("round-trips any view, the open sample and the selection included", () => {
    const view = fc.record({
      controls: fc.record({
        datasetId: fc.constantFrom("mnist:train", "mnist:test", "folder:a b&c"),
        limit: fc.integer({ min: 2, max: 60_000 }),
        k: fc.integer({ min: 1, max: 500 }),
        percent: fc.integer({ min: 1, max: 10_000 }).map((v) => v / 10_000),
        method: fc.constantFrom("ADAPTIVE" as const, "NAIVE" as const),
        projection: fc.constantFrom("TSNE" as const, "UMAP" as const, "PCA" as const),
      }),
      sample: fc.option(fc.nat(60_000)),
      page: fc.nat(100),
      order: fc.constantFrom(...GRID_ORDERS),
      colour: fc.constantFrom(...COLOUR_BY),
      cls: fc.option(fc.nat(9)),
      // the URL keeps 4 significant digits (finer than a pixel): quarters below 100 keep theirs
      box: fc.option(
        fc
          .array(fc.integer({ min: -399, max: 399 }), { minLength: 4, maxLength: 4 })
          .map(([a, b, c, d]) => {
            const [x0, x1] = [Math.min(a!, c!) / 4, Math.max(a!, c!) / 4];
            const [y0, y1] = [Math.min(b!, d!) / 4, Math.max(b!, d!) / 4];
            return [x0, y0, x1, y1] as const;
          }),
      ),
    });
    fc.assert(
      fc.property(view, (v: ViewState) => {
        expect(parseView(`?${viewToQuery(v)}`)).toEqual(v);
      }),
    );
  });

  it("ignores values it cannot use", () => {
    const parsed = parseView(
      "?k=abc&method=fast&projection=MDS&limit=&sample=-3&page=0&box=1,2,3&order=x&class=1.5",
    );
    expect(parsed.controls).toEqual(SEED_CONTROLS);
    expect(parsed.sample).toBeNull();
    expect(parsed.page).toBe(0);
    expect(parsed.box).toBeNull();
    expect(parsed.order).toBe("radius");
    expect(parsed.cls).toBeNull();
    expect(parseView("?box=3,4,1,2").box).toEqual([1, 2, 3, 4]);
  });
});
