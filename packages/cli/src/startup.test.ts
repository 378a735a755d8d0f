/**
 * What `lacuna --version` and `lacuna coverage --embeddings` load: never the server (Apollo,
 * Express, SQLite), sharp or TensorFlow.js, which only `serve`, `datasets`, pictures and encoding
 * need (docs/architecture.md). Each would add to the CLI's fixed start-up cost.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, fixtures, root } from "./test-support/run.js";

/** A resolve hook (ES modules) that appends every resolved URL to the file named at start. */
const HOOKS = `import { appendFileSync } from "node:fs";
let out;
export async function initialize(data) {
  out = data.out;
}
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(out, result.url + "\\n");
  return result;
}
`;

/**
 * Loaded with --import before the command: registers the hook, and at exit appends the CommonJS
 * modules too (require.cache: what createRequire loaded, which the hook does not see in Node 20).
 */
const PRELOAD = `import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
const out = process.env.LACUNA_TRACE_OUT;
register("./hooks.mjs", import.meta.url, { data: { out } });
process.on("exit", () => {
  const files = Object.keys(createRequire(import.meta.url).cache);
  appendFileSync(out, files.map((file) => file + "\\n").join(""));
});
`;

/** Modules whose load would mean a heavy dependency came in (real paths or installed names). */
const FORBIDDEN: [string, RegExp][] = [
  ["@lacuna/server", /[\\/](?:packages[\\/]server|@lacuna[\\/]server)[\\/]/],
  ["apollo", /[\\/]node_modules[\\/](?:@apollo|apollo-[^\\/]*)[\\/]/],
  ["express", /[\\/]node_modules[\\/]express[\\/]/],
  ["better-sqlite3", /[\\/]node_modules[\\/]better-sqlite3[\\/]/],
  ["sharp", /[\\/]node_modules[\\/](?:sharp|@img)[\\/]/],
  ["@tensorflow/*", /[\\/]node_modules[\\/]@tensorflow[\\/]/],
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-startup-"));
  await writeFile(join(dir, "hooks.mjs"), HOOKS);
  await writeFile(join(dir, "preload.mjs"), PRELOAD);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `lacuna args` with the trace; returns its exit code and every module it loaded. */
async function loaded(name: string, args: string[]): Promise<{ code: number; modules: string[] }> {
  const out = join(dir, `${name}.txt`);
  await writeFile(out, "");
  const code = await new Promise<number>((done) => {
    execFile(
      process.execPath,
      ["--import", join(dir, "preload.mjs"), bin, ...args],
      { cwd: root, env: { ...process.env, LACUNA_TRACE_OUT: out }, maxBuffer: 64 << 20 },
      (error) => done(error ? (typeof error.code === "number" ? error.code : 1) : 0),
    );
  });
  return { code, modules: (await readFile(out, "utf8")).split("\n").filter(Boolean) };
}

function heavy(modules: string[]): string[] {
  return FORBIDDEN.filter(([, pattern]) => modules.some((m) => pattern.test(m))).map(([n]) => n);
}

describe("the CLI's start-up loads nothing heavy", () => {
  it("lacuna --version", async () => {
    const { code, modules } = await loaded("version", ["--version"]);
    expect(code).toBe(0);
    // the trace works: the CLI's own modules are in it
    expect(modules.some((m) => /[\\/](?:packages[\\/]cli|@lacuna[\\/]cli)[\\/]/.test(m))).toBe(
      true,
    );
    expect(heavy(modules)).toEqual([]);
  });

  it("lacuna coverage --embeddings SMALL.npy --json", async () => {
    const embeddings = join(fixtures, "blobs-2000x10.npy");
    const { code, modules } = await loaded("coverage", [
      "coverage",
      "--embeddings",
      embeddings,
      "--json",
    ]);
    expect(code).toBe(0);
    expect(
      modules.some((m) => /[\\/](?:packages[\\/]worker|@lacuna[\\/]worker)[\\/]/.test(m)),
    ).toBe(true);
    expect(heavy(modules)).toEqual([]);
  });

  it("sees the server where a command loads it (`datasets`, lazily, by design)", async () => {
    // a data directory that does not exist: the command stops after loading the server, no store
    const missing = join(dir, "no-such-data-dir");
    const { modules } = await loaded("datasets", ["datasets", "--data-dir", missing, "--json"]);
    expect(heavy(modules)).toContain("@lacuna/server");
  });
});
