import { expect, it } from "vitest";
import { describeEachStore } from "../test-support/stores.js";
import { type CoverageRecord, CoverageStore } from "./store.js";

function record(key: string, datasetId: string, createdAt: string, seed: number): CoverageRecord {
  return {
    key,
    input: {
      datasetId,
      selection: { limit: 5 },
      model: null,
      method: "NAIVE",
      numObservations: 2,
      percent: 0.01,
      forceUnitInterval: false,
    },
    coverageRadius: 0.25 + seed,
    count: 5,
    dimensions: 3,
    model: null,
    embeddingBackend: "given",
    backend: "cpu",
    seconds: 0.5,
    createdAt,
    classNames: ["a", "b"],
    indices: Int32Array.from([0, 1, 2, 3, 4]),
    labels: seed % 2 === 0 ? Int32Array.from([0, 1, 0, 1, 0]) : null,
    // values a float32 or a text round trip would change
    radii: Float64Array.from([0.1, 1 / 3, Math.PI, 1e-300, seed + Number.EPSILON]),
    uncovered: Int32Array.from([2, 4]),
  };
}

describeEachStore("CoverageStore", (f) => {
  it("stores and reads results bit for bit, by key, in pages, by dataset; replaces and deletes", async () => {
    const times = ["2026-01-01T00:00:01.000Z", "2026-01-01T00:00:02.000Z"];
    const records = [
      record("k1", "alpha", times[0]!, 0),
      record("k2", "beta", times[1]!, 1),
      record("k3", "alpha", times[1]!, 2),
    ];
    const writer = new CoverageStore(f.store());
    for (const r of records) await writer.save(r);
    // a second store (another server) reads what the first wrote, from the database
    const reader = new CoverageStore(f.store());
    for (const r of records) expect(await reader.find(r.key)).toEqual(r);
    expect(await reader.find("missing")).toBeNull();

    const first = await reader.list(2, null, null);
    expect(first.map((r) => r.key)).toEqual(["k3", "k2"]);
    const last = first.at(-1)!;
    const rest = await reader.list(2, { createdAt: last.createdAt, id: last.key }, null);
    expect(rest.map((r) => r.key)).toEqual(["k1"]);
    expect((await reader.list(10, null, "alpha")).map((r) => r.key)).toEqual(["k3", "k1"]);

    await writer.save({ ...records[0]!, coverageRadius: 9, createdAt: times[1]! });
    expect((await new CoverageStore(f.store()).find("k1"))?.coverageRadius).toBe(9);
    expect(await writer.delete("k2")).toBe(true);
    expect(await writer.delete("k2")).toBe(false);
    // on a shared database a reader's memory does not outlive another server's delete (SQLite
    // has one server, one CoverageStore: its memory is the truth there)
    expect(await reader.find("k2")).toEqual(f.backend.name === "postgres" ? null : records[1]);
    expect(await new CoverageStore(f.store()).find("k2")).toBeNull();
  });
});
