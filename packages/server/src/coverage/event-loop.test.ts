/**
 * Per-class statistics and dataset statistics run on their own thread: the event loop keeps
 * turning (so /health and other requests are answered) while they compute.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomEmbeddings } from "@lacuna/core/testing";
import { encodeNpy } from "@lacuna/io";
import { type Harness, createHarness } from "../testing/harness.js";

const n = 20_000;
const d = 16;
let root: string;
let h: Harness;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lacuna-loop-"));
  const { data } = randomEmbeddings(n, d, 11, { float32: true });
  await writeFile(join(root, "codes.npy"), encodeNpy(Float32Array.from(data), [n, d]));
  await writeFile(
    join(root, "labels.npy"),
    encodeNpy(
      Int32Array.from({ length: n }, (_, i) => i % 10),
      [n],
    ),
  );
  h = await createHarness({ LACUNA_DATA_ROOTS: root });
  const registered = await h.run(
    `mutation { registerDataset(input: { id: "big", kind: EMBEDDINGS, path: "codes.npy", labels: "labels.npy" }) { id } }`,
  );
  expect(registered.errors).toBeUndefined();
  const coverage = await h.run(
    `{ coverage(input: { datasetId: "big", numObservations: 5 }) { id } }`,
  );
  expect(coverage.errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await h.close();
  await rm(root, { recursive: true, force: true });
});

describe("statistics off the event loop", () => {
  it("keeps the event loop turning while per-class rows and statistics compute", async () => {
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    setImmediate(spin);
    const result = await h.run<{ coverage: { perClass: unknown[]; statistics: { rank: number } } }>(
      `{ coverage(input: { datasetId: "big", numObservations: 5 }) { perClass { class count } statistics { rank } } }`,
    );
    running = false;
    delay.disable();
    expect(result.errors).toBeUndefined();
    expect(result.data!.coverage.perClass).toHaveLength(10);
    expect(result.data!.coverage.statistics.rank).toBe(d);
    // on the event loop the statistics would run in one synchronous stretch: a handful of turns
    expect(turns).toBeGreaterThan(50);
    console.log(
      `event loop while computing: ${turns} turns, longest stall ${(delay.max / 1e6).toFixed(1)} ms`,
    );
  });
});
