/** `lacuna datasets` after a registered file vanished: every dataset listed, that one unavailable. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeNpy } from "@lacuna/io";
import { DatasetService, openStore } from "@lacuna/server";
import { lacuna } from "./test-support/run.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-datasets-state-"));
  const roots = join(dir, "datasets");
  await mkdir(roots);
  await writeFile(join(roots, "codes.npy"), encodeNpy(new Float32Array(20).fill(0.5), [10, 2]));
  const store = await openStore({ dataDir: dir });
  await new DatasetService(store, { dataRoots: [roots] }).register({
    id: "codes",
    kind: "EMBEDDINGS",
    path: "codes.npy",
  });
  await store.close();
  await rm(join(roots, "codes.npy"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("lacuna datasets", () => {
  it("lists a dataset whose file vanished as unavailable, and the others as ready", async () => {
    const run = await lacuna(["datasets", "--json", "--data-dir", dir]);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as { id: string; state: string }[];
    expect(rows.map((r) => [r.id, r.state])).toEqual([
      ["mnist:train", "ready"],
      ["mnist:test", "ready"],
      ["codes", "unavailable"],
    ]);
    const table = await lacuna(["datasets", "--data-dir", dir]);
    expect(table.stdout).toMatch(/codes .*\(unavailable: files missing or changed\)/);
  });
});
