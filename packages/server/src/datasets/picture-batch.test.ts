/**
 * Pictures are encoded off the event loop (issue 16), a list of them in one batch: the same data
 * URLs as io's pngDataUrl, while the event loop keeps turning and a small query sent after a large
 * picture query is answered before it (ordered by completion, not by timing).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageBytes, loadDataset } from "@lacuna/io";
import { pngDataUrl } from "@lacuna/io/pictures";
import { type Harness, createHarness } from "../testing/harness.js";
import { BATCH_IMAGES, pictureBatcher } from "./picture-batch.js";

let h: Harness;
const COVERAGE = `coverage(input: { datasetId: "mnist:test", selection: { limit: 1000 }, numObservations: 5 })`;
const ALL = Array.from({ length: 1000 }, (_, i) => i);

beforeAll(async () => {
  h = await createHarness({ LACUNA_MAX_COST: "1000000" });
  const r = await h.run(`{ ${COVERAGE} { id } }`);
  expect(r.errors).toBeUndefined();
}, 180_000);
afterAll(async () => {
  await h.close();
});

interface Pictures {
  coverage: { samples: { index: number; image: string }[] };
}

describe("pictures off the event loop", () => {
  it("answers io's pngDataUrl for every picture, a list of them in one batch", async () => {
    const indices = ALL.slice(0, 300);
    const before = pictureBatcher.batches;
    const r = await h.run<Pictures>(
      `query ($i: [Int!]!) { ${COVERAGE} { samples(indices: $i) { index image(scale: 3) } } }`,
      { i: indices },
    );
    expect(r.errors).toBeUndefined();
    expect(pictureBatcher.batches - before).toBe(1);
    const images = await loadDataset("mnist:test");
    const samples = r.data!.coverage.samples;
    expect(samples.map((s) => s.index)).toEqual(indices);
    for (const s of samples.filter((_, i) => i % 37 === 0)) {
      expect(s.image).toBe(await pngDataUrl(imageBytes(images, s.index), images.imageShape, 3));
    }
  });

  it("keeps the event loop turning: a small query sent after 1000 large pictures finishes first", async () => {
    expect(ALL.length).toBeLessThanOrEqual(BATCH_IMAGES);
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const order: string[] = [];
    const large = h
      .run<Pictures>(
        `query ($i: [Int!]!) { ${COVERAGE} { samples(indices: $i) { image(scale: 16) } } }`,
        {
          i: ALL,
        },
      )
      .then((r) => {
        order.push("pictures");
        return r;
      });
    // wait until the pictures have been sent to their thread: the large query is in its heavy part
    const asked = pictureBatcher.batches;
    while (pictureBatcher.batches === asked) await new Promise((r) => setImmediate(r));
    const small = h.run<{ version: string }>(`{ version }`).then((r) => {
      order.push("version");
      return r;
    });
    const [big, version] = await Promise.all([large, small]);
    running = false;
    expect(big.errors).toBeUndefined();
    expect(version.errors).toBeUndefined();
    expect(big.data!.coverage.samples).toHaveLength(1000);
    expect(
      big.data!.coverage.samples.every((s) => s.image.startsWith("data:image/png;base64,")),
    ).toBe(true);
    expect(order).toEqual(["version", "pictures"]);
    // on the event loop, 1000 encodings at 448 x 448 would leave it a handful of turns
    expect(turns).toBeGreaterThan(100);
    console.log(`event loop while encoding 1000 pictures at scale 16: ${turns} turns`);
  });
});
