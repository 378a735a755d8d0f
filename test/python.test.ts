/**
 * The Python example (examples/python) against a real `lacuna serve`, with Debian's python3 and
 * numpy: the seed query's base64 radii must equal DataEval's definition computed in numpy.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ServerProcess, startServerProcess } from "@lacuna/server/testing";
import { afterAll, describe, expect, it } from "vitest";

const PYTHON = "/usr/bin/python3";
const script = fileURLToPath(new URL("../examples/python/coverage_check.py", import.meta.url));
const KEY = "python-example-key-0123";

let dataDir: string | undefined;
let server: ServerProcess | undefined;
afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [script, ...args], { env: { ...process.env, LACUNA_API_KEY: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("examples/python/coverage_check.py", () => {
  it("reads the seed's base64 radii into numpy and finds them equal to DataEval's", async (context) => {
    const numpy = spawnSync(PYTHON, ["-c", "import numpy"], { encoding: "utf8" });
    if (numpy.status !== 0) {
      if (process.env.CI === "true")
        throw new Error(
          `python3-numpy is required under CI: ${numpy.stderr || numpy.error?.message}`,
        );
      context.skip(
        "python3 with numpy is not installed (apt-get install python3-numpy): the Python example is not checked",
      );
    }
    dataDir = await mkdtemp(join(tmpdir(), "lacuna-python-"));
    server = await startServerProcess(dataDir, { LACUNA_API_KEY: KEY });
    const ok = await run(["--url", server.url, "--api-key", KEY]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("ok   radii (float32) equal DataEval's");
    expect(ok.stdout).toContain("ok   uncovered samples equal DataEval's, in order");
    expect(ok.stdout).not.toContain("FAIL");
    expect(ok.stdout).toMatch(/uncovered 20: labels \[/);

    // and it says so when it cannot reach the server, rather than passing
    const nowhere = await run(["--url", "http://127.0.0.1:9/graphql"]);
    expect(nowhere.status).not.toBe(0);
    expect(nowhere.stderr).toMatch(/cannot reach/);
  });
});
