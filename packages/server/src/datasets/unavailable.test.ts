/** A registered dataset whose file vanished: listed with its state, never breaking the list. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy } from "@lacuna/io";
import { type Harness, createHarness } from "../testing/harness.js";

let root: string;
let dataDir: string;
let h: Harness;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lacuna-vanish-root-"));
  dataDir = await mkdtemp(join(tmpdir(), "lacuna-vanish-data-"));
  const values = Float32Array.from({ length: 40 * 2 }, (_, i) => ((i * 37) % 101) / 101);
  await writeFile(join(root, "codes.npy"), encodeNpy(values, [40, 2]));
  await writeFile(join(root, "changed.npy"), encodeNpy(values, [40, 2]));
  const first = await createHarness({ LACUNA_DATA_ROOTS: root }, dataDir);
  for (const id of ["codes", "changed"]) {
    const registered = await first.run(
      `mutation { registerDataset(input: { id: "${id}", kind: EMBEDDINGS, path: "${id}.npy" }) { id } }`,
    );
    expect(registered.errors).toBeUndefined();
  }
  await first.close();
  await rm(join(root, "codes.npy"));
  // same shape, other values: reading it now would silently give other results
  await writeFile(
    join(root, "changed.npy"),
    encodeNpy(
      values.map((v) => 1 - v),
      [40, 2],
    ),
  );
  // a restart: nothing of the file is held in memory any more
  h = await createHarness({ LACUNA_DATA_ROOTS: root }, dataDir);
});
afterAll(async () => {
  await h.close();
  await rm(root, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe("a registered dataset whose file vanished or changed", () => {
  it("is listed as UNAVAILABLE with the others, without the server's paths", async () => {
    const list = await h.run<{
      datasets: { id: string; state: string; problem: string | null; size: number }[];
    }>("{ datasets { id state problem size classes { name } } }");
    expect(list.errors).toBeUndefined();
    expect(list.data!.datasets.map((d) => [d.id, d.state])).toEqual([
      ["mnist:train", "READY"],
      ["mnist:test", "READY"],
      ["codes", "UNAVAILABLE"],
      ["changed", "UNAVAILABLE"],
    ]);
    expect(JSON.stringify(list)).not.toContain(root);
  });

  it("answers a computation on it NOT_FOUND, naming the dataset and no path", async () => {
    const coverage = await h.run(
      `{ coverage(input: { datasetId: "codes", numObservations: 3 }) { coverageRadius } }`,
    );
    expect(coverage.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(coverage.errors?.[0]?.message).toMatch(/dataset "codes" cannot be read/);
    expect(JSON.stringify(coverage)).not.toContain(root);
  });
});
