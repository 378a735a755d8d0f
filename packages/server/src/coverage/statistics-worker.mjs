// One CPU-heavy statistic of a coverage result, or one batch of pictures, computed on its own
// thread so the server's event loop keeps answering (/health, other queries) meanwhile. Plain
// JavaScript: it runs the same from the compiled server and from its TypeScript tests. Started by
// statistics-thread.ts.
import { parentPort, workerData } from "node:worker_threads";
import { completeness, isotropy, perClassStatistics } from "@lacuna/core";

const { task, data, n, d, labels, uncovered, options } = workerData;
const embeddings = { data, n, d };
if (task === "pictures") {
  // kept running by statistics-thread.ts: one batch of pictures per message, answered by id;
  // sharp loads only where pictures are drawn (as io/pictures promises)
  const { pngDataUrl } = await import("@lacuna/io/pictures");
  // a few at a time: sharp's encodings then overlap on libuv's threads, as they did on the main
  // thread, and memory stays bounded
  const AT_ONCE = 8;
  parentPort.on("message", async ({ id, pixels, count, shape, scale }) => {
    const size = shape[0] * shape[1] * shape[2];
    const urls = new Array(count);
    for (let a = 0; a < count; a += AT_ONCE) {
      const done = [];
      for (let i = a; i < Math.min(count, a + AT_ONCE); i++) {
        const image = pixels.subarray(i * size, (i + 1) * size);
        done.push(pngDataUrl(image, shape, scale).then((url) => (urls[i] = url)));
      }
      await Promise.all(done);
    }
    parentPort.postMessage({ id, urls });
  });
} else if (task === "perClass") {
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
