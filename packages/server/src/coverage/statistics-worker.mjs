// One CPU-heavy statistic of a coverage result, computed on its own thread so the server's event
// loop keeps answering (/health, other queries) meanwhile. Plain JavaScript: it runs the same from
// the compiled server and from its TypeScript tests. Started by statistics-thread.ts.
import { parentPort, workerData } from "node:worker_threads";
import { completeness, isotropy, perClassStatistics } from "@lacuna/core";

const { task, data, n, d, labels, uncovered, options } = workerData;
const embeddings = { data, n, d };
if (task === "perClass") {
  parentPort.postMessage(perClassStatistics(embeddings, labels, uncovered, options));
} else {
  const iso = isotropy(embeddings);
  parentPort.postMessage({
    completeness: completeness(embeddings).completeness,
    isotropy: iso.isotropy,
    effectiveDimension: iso.effectiveDimension,
    rank: iso.rank,
  });
}
