/**
 * GraphiQL 5, bundled from npm at build time with its Monaco workers and fonts: nothing is loaded
 * from a CDN, so the explorer works offline.
 */
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { fetchWithApiKey } from "./api-key.js";
import { GraphiQL } from "graphiql";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

const SEED = `# The seed tutorial's question: the 20 least-covered of the first 2000 MNIST training images
query Seed {
  coverage(input: { datasetId: "mnist:train", selection: { limit: 2000 }, numObservations: 20, percent: 0.01, method: ADAPTIVE }) {
    coverageRadius
    uncovered { index label radius }
  }
}
`;

const fetcher = createGraphiQLFetcher({
  url: new URL("/graphql", location.href).toString(),
  fetch: fetchWithApiKey(),
});
const root = document.getElementById("graphiql");
if (!root) throw new Error("the page has no #graphiql");
createRoot(root).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultQuery={SEED} />
  </StrictMode>,
);
