/** Start-up mistakes: each a coded one-line error with exit 2, quickly; never exit 1 or a hang. */
import { execFile, execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Run, bin, expectBadInput, root } from "./test-support/run.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `lacuna` with extra environment variables, killed after 20 s (a hang fails the test). */
function lacunaWith(env: Record<string, string>, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, env: { ...process.env, LACUNA_DATA_DIR: dir, ...env }, timeout: 20_000 },
      (error, stdout, stderr) =>
        done({ code: typeof error?.code === "number" ? error.code : 1, stdout, stderr }),
    );
  });
}

describe("start-up mistakes", () => {
  it.each([
    [{}, ["serve", "--port", "70000"], /port \(PORT, --port\) must be an integer in \[0, 65535\]/],
    [{}, ["serve", "--host", "256.0.0.1"], /host \(HOST, --host\) must be an IP address/],
    [{ LACUNA_LOG_LEVEL: "loud" }, ["serve", "--port", "0"], /LACUNA_LOG_LEVEL must be one of/],
    [
      { LACUNA_DATA_DIR: "/proc/x" },
      ["datasets"],
      /cannot use \/proc\/x as Lacuna's data directory/,
    ],
    [{ LACUNA_DATA_DIR: "/proc/x" }, ["serve", "--port", "0"], /cannot use \/proc\/x as/],
    [
      {},
      ["datasets", "--data-dir", "TYPO-lacuna-missing"],
      /TYPO-lacuna-missing as Lacuna's data directory: no such file/,
    ],
  ])("env %o, lacuna %o: exit 2 with one line", async (env, args, message) => {
    expectBadInput(await lacunaWith(env, args), message);
  });

  it("refuses a FIFO as --embeddings or --labels at once with exit 2", async () => {
    const fifo = join(dir, "fifo.npy");
    execFileSync("mkfifo", [fifo]);
    expectBadInput(
      await lacunaWith({}, ["coverage", "--embeddings", fifo, "--json"]),
      /fifo\.npy: not a regular file \(a FIFO/,
    );
  });

  it("refuses a garbage lacuna.sqlite with exit 2", async () => {
    const data = join(dir, "garbage");
    await mkdir(data);
    await writeFile(join(data, "lacuna.sqlite"), "not a database at all ".repeat(100));
    expectBadInput(
      await lacunaWith({}, ["datasets", "--data-dir", data]),
      /lacuna\.sqlite: not a usable SQLite database/,
    );
  });

  it("refuses a PostgreSQL that does not answer with exit 2, naming it without its password", async () => {
    const run = await lacunaWith(
      { LACUNA_DATABASE_URL: "postgres://lacuna:s3cret@127.0.0.1:1/lacuna" },
      ["serve", "--port", "0", "--data-dir", join(dir, "pg")],
    );
    expectBadInput(run, /127\.0\.0\.1:1\/lacuna: cannot connect/);
    expect(run.stderr).not.toMatch(/s3cret/);
  });
});
