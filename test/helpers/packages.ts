/**
 * The published packages as npm packs them, and the rules their tarballs must keep: what a user
 * needs is inside (code, types, the WebAssembly kernel, the SDL, the dashboard, the weights) and
 * nothing of the repository's own tests is.
 */
import { spawn } from "node:child_process";
import { cp, mkdir, readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { danglingTargets } from "../../scripts/manifest-exports.mjs";

/** The repository root (this file is test/helpers/packages.ts). */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The server's whole schema in one SDL file (its `./schema.graphql` export; the client's codegen reads it). */
export const SERVER_SDL = "src/generated/schema.graphql";

/** Every workspace a user installs, in dependency order; the dashboard ships inside the server. */
export const PUBLISHED = [
  "@lacuna/core",
  "@lacuna/models",
  "@lacuna/io",
  "@lacuna/worker",
  "@lacuna/cluster",
  "@lacuna/server",
  "@lacuna/cli",
  "@lacuna/client",
] as const;

/**
 * One tarball: its package name, its file name, the paths inside it (relative to package/) and
 * its package.json as published.
 */
export interface Pack {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly string[];
  readonly manifest: Readonly<Record<string, unknown>>;
}

/**
 * What each package must carry beyond its manifest; each entry is a path inside the tarball. Every
 * package carries the MIT LICENSE its manifest names (scripts/pack-hook.mjs copies it in).
 */
export const REQUIRED_FILES: Readonly<Record<string, readonly string[]>> = {
  "@lacuna/core": ["dist/index.js", "dist/index.d.ts", "dist/palette.d.ts", "dist/internal.d.ts"],
  "@lacuna/models": ["mnist-ae/model.json", "mnist-ae/weights.bin", "mnist-ae/MODEL_CARD.md"],
  "@lacuna/io": ["dist/index.js", "dist/index.d.ts", "dist/pictures/index.d.ts"],
  "@lacuna/worker": [
    "dist/index.d.ts",
    "dist/worker.js",
    "dist/partition-kernel.wasm",
    "dist/select-kernel.wasm",
  ],
  "@lacuna/server": [
    "dist/index.d.ts",
    "dist/dashboard/index.html",
    "dist/dashboard/graphiql.html",
    "src/graphql/base.graphql",
    "src/coverage/schema.graphql",
    SERVER_SDL,
  ],
  "@lacuna/cluster": ["dist/index.js", "dist/index.d.ts", "dist/worker-loop.js"],
  "@lacuna/cli": ["bin/lacuna.js", "dist/main.js"],
  "@lacuna/client": ["dist/index.js", "dist/index.d.ts"],
};

/** Paths that are the repository's tests or their support, never a user's. */
const FORBIDDEN = [
  /\.test\.[cm]?[jt]s(\.map)?$/,
  /\.test\.d\.ts(\.map)?$/,
  /(^|\/)test-support\//,
  /(^|\/)test-fixtures\//,
  /(^|\/)fixtures\//,
  /(^|\/)testing(\/|\.)/,
  /\.tsbuildinfo$/,
  /(^|\/)src\/.*\.ts$/,
  /(^|\/)(pytorch|checkpoint)/,
];

/**
 * Every broken rule among `packs`, as readable lines; empty when all is well. A package missing
 * from `packs`, a required file (or LICENSE) missing from its tarball, a forbidden path inside
 * one, and a file its manifest points at (`exports`, `main`, `types`, `bin`) that it does not
 * carry are each a line.
 */
export function tarballProblems(packs: readonly Pack[]): string[] {
  const problems: string[] = [];
  for (const name of PUBLISHED) {
    const pack = packs.find((p) => p.name === name);
    if (!pack) {
      problems.push(`${name} was not packed`);
      continue;
    }
    for (const file of ["LICENSE", ...(REQUIRED_FILES[name] ?? [])]) {
      if (!pack.files.includes(file)) problems.push(`${name} lacks ${file}`);
    }
    for (const file of pack.files) {
      if (FORBIDDEN.some((rule) => rule.test(file))) problems.push(`${name} ships ${file}`);
    }
    for (const line of danglingTargets(pack.manifest, pack.files)) {
      problems.push(`${name} points at a file it lacks: ${line}`);
    }
  }
  return problems;
}

/** A finished process: exit code (null when killed by a signal) and its whole output. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` to its end without a shell; never rejects on a non-zero exit (the caller checks). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Copies what `npm pack` reads (the root manifest, LICENSE, scripts/ and each published workspace
 * but its node_modules) into `stage`. Why a copy: npm's prepack hook (scripts/pack-hook.mjs)
 * rewrites a package's package.json while it packs, and the other test files and packages, running
 * meanwhile, resolve `@lacuna/core/testing` through the repository's.
 */
async function stageWorkspaces(stage: string): Promise<void> {
  const root = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  for (const file of ["package.json", "LICENSE", "scripts"]) {
    await cp(join(REPO_ROOT, file), join(stage, file), { recursive: true });
  }
  for (const pattern of root.workspaces) {
    const dirs = pattern.endsWith("/*")
      ? (await readdir(join(REPO_ROOT, pattern.slice(0, -2)))).map(
          (d) => `${pattern.slice(0, -1)}${d}`,
        )
      : [pattern];
    for (const dir of dirs) {
      const manifest = await readFile(join(REPO_ROOT, dir, "package.json"), "utf8").catch(() => "");
      const name = manifest === "" ? "" : (JSON.parse(manifest) as { name: string }).name;
      if (!(PUBLISHED as readonly string[]).includes(name)) continue;
      await mkdir(join(stage, dir), { recursive: true });
      await cp(join(REPO_ROOT, dir), join(stage, dir), {
        recursive: true,
        filter: (source) => !source.includes("/node_modules"),
      });
    }
  }
}

/**
 * Packs every published workspace into `destination` with `npm pack`, as a release would (its
 * prepack and postpack hooks included), from a copy of the workspaces under `stage`; reads back
 * each tarball's package.json with `tar`.
 */
export async function packWorkspaces(destination: string, stage: string): Promise<Pack[]> {
  await stageWorkspaces(stage);
  const args = ["pack", "--json", "--pack-destination", destination];
  for (const name of PUBLISHED) args.push("-w", name);
  const result = await run("npm", args, { cwd: stage });
  if (result.code !== 0) throw new Error(`npm pack failed:\n${result.stderr}`);
  const packed = JSON.parse(result.stdout) as {
    name: string;
    filename: string;
    files: { path: string }[];
  }[];
  return Promise.all(
    packed.map(async (p) => {
      const tarball = join(destination, p.filename);
      const read = await run("tar", ["-xzOf", tarball, "package/package.json"], { cwd: stage });
      if (read.code !== 0) throw new Error(`cannot read ${tarball}'s package.json: ${read.stderr}`);
      return {
        name: p.name,
        filename: p.filename,
        files: p.files.map((f) => f.path),
        manifest: JSON.parse(read.stdout) as Record<string, unknown>,
      };
    }),
  );
}
