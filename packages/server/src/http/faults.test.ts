/** Faults around the server: an unusable data directory, an unwritable cache, a kill during encoding. */
import { createEmbeddings, criticalValueRadii, coverageAdaptiveFromRadii } from "@lacuna/core";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness } from "../testing/harness.js";
import { startServerProcess } from "../testing/process.js";

const bin = fileURLToPath(new URL("../../../cli/bin/lacuna.js", import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-faults-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("faults", () => {
  it("refuses an unusable data directory at start-up with one line and exit code 2", async () => {
    const file = join(dir, "not-a-folder");
    await writeFile(file, "x");
    const run = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(
        process.execPath,
        [bin, "serve", "--port", "0", "--data-dir", join(file, "data")],
        (error, _out, stderr) =>
          done({ code: typeof error?.code === "number" ? error.code : 0, stderr }),
      ),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^lacuna: cannot use .*not-a-folder\/data as Lacuna's data directory: a file stands where a folder should be; set LACUNA_DATA_DIR/,
    );
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("answers coverage when the embedding cache cannot be written, and leaves no partial file", async () => {
    const h = await createHarness();
    try {
      await writeFile(join(h.dataDir, "embeddings"), "a file where the cache folder should be");
      const result = await h.run<{ coverage: { uncoveredCount: number } }>(
        `{ coverage(input: { datasetId: "mnist:test", selection: { limit: 200 }, numObservations: 5 }) { uncoveredCount } }`,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.coverage.uncoveredCount).toBe(2);
      expect((await readdir(h.dataDir)).filter((f) => f.includes(".tmp"))).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it("a worker thread dying mid-computation fails that request cleanly; the next one succeeds", async () => {
    const marker = join(dir, "fault");
    process.env.LACUNA_FAULT_FILE = marker;
    const workerFile = fileURLToPath(
      new URL("../../../worker/test-fixtures/faulty-worker.mjs", import.meta.url),
    );
    const h = await createHarness({}, undefined, { workerFile });
    try {
      const query = `{ coverage(input: { datasetId: "mnist:test", selection: { limit: 300 }, numObservations: 5 }) { uncoveredCount } }`;
      await writeFile(marker, "exit");
      const failed = await h.run(query);
      expect(failed.errors?.[0]?.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(failed.errors?.[0]?.message).toBe("internal error; the server log has the details");
      const retried = await h.run<{ coverage: { uncoveredCount: number } }>(query);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.coverage.uncoveredCount).toBe(3);
    } finally {
      delete process.env.LACUNA_FAULT_FILE;
      await h.close();
    }
  });

  it("after a kill -9 during encoding, the job is failed and a retry gives core's answer", async () => {
    const dataDir = join(dir, "kill-encoding");
    let server = await startServerProcess(dataDir);
    const input = `{ datasetId: "mnist:train", selection: { limit: 30000 }, numObservations: 10 }`;
    const started = await server.graphql<{ startCoverage: { id: string } }>(
      `mutation { startCoverage(input: ${input}) { id } }`,
    );
    const id = started.body.data!.startCoverage.id;
    let phase = "";
    for (let i = 0; i < 400 && phase !== "embedding"; i++) {
      const job = await server.graphql<{ job: { phase: string } }>(
        `{ job(id: "${id}") { phase } }`,
      );
      phase = job.body.data!.job.phase;
      if (phase !== "embedding") await new Promise((r) => setTimeout(r, 25));
    }
    expect(phase).toBe("embedding");
    await server.stop("SIGKILL");

    server = await startServerProcess(dataDir);
    try {
      const job = await server.graphql<{ job: { status: string; error: { code: string } } }>(
        `{ job(id: "${id}") { status error { code } } }`,
      );
      expect(job.body.data!.job).toEqual({ status: "FAILED", error: { code: "INTERRUPTED" } });
      // the retry, on a smaller selection to keep the test quick, gives exactly core's numbers
      const retry = await server.graphql<{
        coverage: { coverageRadius: number; criticalValueRadii: number[] };
      }>(
        `{ coverage(input: { datasetId: "mnist:train", selection: { limit: 1500 }, numObservations: 10 }) { coverageRadius criticalValueRadii } }`,
      );
      const embeddings = await server.graphql<{ embeddings: { base64: string } }>(
        `{ embeddings(datasetId: "mnist:train", selection: { limit: 1500 }) { base64 } }`,
      );
      const bytes = Buffer.from(embeddings.body.data!.embeddings.base64, "base64");
      const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const radii = criticalValueRadii(createEmbeddings(values, 1500, 10), 10);
      expect(retry.body.data!.coverage.criticalValueRadii).toEqual(Array.from(radii));
      expect(retry.body.data!.coverage.coverageRadius).toBe(
        coverageAdaptiveFromRadii(radii, 0.01).coverageRadius,
      );
    } finally {
      await server.stop();
    }
  });
});
