/** `lacuna serve` on a free port with a fresh data directory, for the server benchmarks. */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { startServerProcess } from "@lacuna/server/testing";

/** @returns {Promise<{ url: string, dataDir: string, post: (query: string) => Promise<any>, stop: () => Promise<void> }>} */
export async function startLacuna() {
  const dataDir = mkdtempSync(join(tmpdir(), "lacuna-bench-server-"));
  // the same starter the server's own tests use; every core, as a deployment would
  const server = await startServerProcess(dataDir, {
    LACUNA_LOG_LEVEL: "warn",
    LACUNA_THREADS: String(availableParallelism()),
  });
  return {
    url: server.url,
    dataDir,
    post: async (query) => (await server.graphql(query)).body,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
