import { describe, expect, it } from "vitest";
import { SEED_CONTROLS, controlsFromQuery, controlsToQuery, coverageInput } from "./controls.js";

describe("controls", () => {
  it("default to the seed tutorial's scenario", () => {
    expect(controlsFromQuery("")).toEqual(SEED_CONTROLS);
    expect(coverageInput(SEED_CONTROLS)).toEqual({
      datasetId: "mnist:train",
      selection: { limit: 2000 },
      numObservations: 20,
      percent: 0.01,
      method: "ADAPTIVE",
    });
  });

  it("round-trip through the query string, so a view can be shared", () => {
    const controls = {
      ...SEED_CONTROLS,
      datasetId: "mnist:test",
      k: 7,
      percent: 0.05,
      method: "NAIVE" as const,
      projection: "PCA" as const,
    };
    expect(controlsFromQuery(`?${controlsToQuery(controls)}`)).toEqual(controls);
  });

  it("ignore values they cannot use", () => {
    const parsed = controlsFromQuery("?k=abc&method=fast&projection=MDS&limit=");
    expect(parsed.k).toBe(20);
    expect(parsed.method).toBe("ADAPTIVE");
    expect(parsed.projection).toBe("TSNE");
  });
});
