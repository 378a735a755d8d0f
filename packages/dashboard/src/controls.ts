import type { CoverageInput } from "@lacuna/client";

export type ProjectionMethod = "TSNE" | "UMAP" | "PCA";

/** What the dashboard's controls hold; the defaults are the seed tutorial's scenario. */
export interface Controls {
  readonly datasetId: string;
  readonly limit: number;
  readonly k: number;
  readonly percent: number;
  readonly method: "ADAPTIVE" | "NAIVE";
  readonly projection: ProjectionMethod;
}

export const SEED_CONTROLS: Controls = {
  datasetId: "mnist:train",
  limit: 2000,
  k: 20,
  percent: 0.01,
  method: "ADAPTIVE",
  projection: "TSNE",
};

/** The coverage request for a set of controls. */
export function coverageInput(controls: Controls): CoverageInput {
  return {
    datasetId: controls.datasetId,
    selection: { limit: controls.limit },
    numObservations: controls.k,
    percent: controls.percent,
    method: controls.method,
  };
}

/** Reads the controls back from the URL's query string (so a view can be shared), else the seed's. */
export function controlsFromQuery(search: string): Controls {
  const q = new URLSearchParams(search);
  const number = (name: string, fallback: number) => {
    const v = Number(q.get(name));
    return q.has(name) && Number.isFinite(v) ? v : fallback;
  };
  const method = q.get("method");
  const projection = q.get("projection");
  return {
    datasetId: q.get("dataset") ?? SEED_CONTROLS.datasetId,
    limit: number("limit", SEED_CONTROLS.limit),
    k: number("k", SEED_CONTROLS.k),
    percent: number("percent", SEED_CONTROLS.percent),
    method: method === "NAIVE" || method === "ADAPTIVE" ? method : SEED_CONTROLS.method,
    projection:
      projection === "UMAP" || projection === "PCA" || projection === "TSNE"
        ? projection
        : SEED_CONTROLS.projection,
  };
}

export function controlsToQuery(controls: Controls): string {
  return new URLSearchParams({
    dataset: controls.datasetId,
    limit: String(controls.limit),
    k: String(controls.k),
    percent: String(controls.percent),
    method: controls.method,
    projection: controls.projection,
  }).toString();
}
