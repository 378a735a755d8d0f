/**
 * The published packages as npm packs them, and the rules their tarballs must keep: what a user
 * needs is inside (code, types, the WebAssembly kernel, the SDL, the dashboard, the weights) and
 * nothing of the repository's own tests is.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root (this file is test/helpers/packages.ts). */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

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

/** One tarball: its package name, its file name and the paths inside it (relative to package/). */
export interface Pack {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly string[];
}

/** What each package must carry beyond its manifest; each entry is a path inside the tarball. */
export const REQUIRED_FILES: Readonly<Record<string, readonly string[]>> = {
  "@lacuna/core": ["dist/index.js", "dist/index.d.ts", "dist/palette.d.ts", "dist/internal.d.ts"],
  "@lacuna/models": ["mnist-ae/model.json", "mnist-ae/weights.bin", "mnist-ae/MODEL_CARD.md"],
  "@lacuna/io": ["dist/index.js", "dist/index.d.ts", "dist/pictures/index.d.ts"],
  "@lacuna/worker": ["dist/index.d.ts", "dist/worker.js", "dist/partition-kernel.wasm"],
  "@lacuna/server": [
    "dist/index.d.ts",
    "dist/dashboard/index.html",
    "dist/dashboard/graphiql.html",
    "src/graphql/base.graphql",
    "src/coverage/schema.graphql",
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
 * from `packs`, a required file missing from its tarball, and a forbidden path inside one are each
 * a line.
 */
export function tarballProblems(packs: readonly Pack[]): string[] {
  const problems: string[] = [];
  for (const name of PUBLISHED) {
    const pack = packs.find((p) => p.name === name);
    if (!pack) {
      problems.push(`${name} was not packed`);
      continue;
    }
    for (const file of REQUIRED_FILES[name] ?? []) {
      if (!pack.files.includes(file)) problems.push(`${name} lacks ${file}`);
    }
    for (const file of pack.files) {
      if (FORBIDDEN.some((rule) => rule.test(file))) problems.push(`${name} ships ${file}`);
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

/** Packs every published workspace into `destination` with `npm pack`, as a release would. */
export async function packWorkspaces(destination: string): Promise<Pack[]> {
  const args = ["pack", "--json", "--pack-destination", destination];
  for (const name of PUBLISHED) args.push("-w", name);
  const result = await run("npm", args, { cwd: REPO_ROOT });
  if (result.code !== 0) throw new Error(`npm pack failed:\n${result.stderr}`);
  const packed = JSON.parse(result.stdout) as {
    name: string;
    filename: string;
    files: { path: string }[];
  }[];
  return packed.map((p) => ({
    name: p.name,
    filename: p.filename,
    files: p.files.map((f) => f.path),
  }));
}
