/**
 * What the install test does inside a user's project: start the installed `lacuna serve`, and use
 * the client tarball from an ES-module project and a CommonJS one, types checked by `tsc`.
 */
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT, run } from "./packages.js";

/** A running installed server: its GraphQL URL and how to stop it. */
export interface InstalledServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts `npx lacuna serve --port 0` in `app` (a free port) with its data in `dataDir`, and resolves
 * once it prints where it serves; rejects with its output when it exits first or takes over 2 min.
 */
export function startInstalledServer(app: string, dataDir: string): Promise<InstalledServer> {
  const child = spawn("npx", ["--no-install", "lacuna", "serve", "--port", "0"], {
    cwd: app,
    env: { ...process.env, LACUNA_DATA_DIR: dataDir, LACUNA_LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`lacuna serve did not start in 2 min:\n${output}`));
    }, 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const url = /serving GraphQL at (http:\/\/\S+\/graphql)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stop });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`lacuna serve exited (${code}) before serving:\n${output}`));
    });
  });
}

// the types must be real: if they resolved to `any`, the @ts-expect-error lines would be unused,
// which tsc reports as an error
const TYPED_USE = `import { LacunaClient, LacunaError } from "@lacuna/client";
export function seed(url: string) {
  const client = new LacunaClient({ url });
  // @ts-expect-error: a coverage input needs datasetId as a string
  void client.coverage({ datasetId: 1 });
  return client.coverage({ datasetId: "mnist:train", selection: { limit: 2000 }, numObservations: 20, percent: 0.01, method: "ADAPTIVE" })
    .then((r) => r.coverageRadius.toFixed(3));
}
// @ts-expect-error: LacunaError is a class, not a string
export const notAString: string = LacunaError;
`;

const TSCONFIG = {
  compilerOptions: {
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    lib: ["es2023", "dom"],
    types: [],
    strict: true,
    noEmit: true,
  },
};

/**
 * Installs the client tarball into a fresh ES-module project and a fresh CommonJS one under
 * `work`, imports it with `import` and `require` in Node, and type-checks a typed use with the
 * repository's `tsc`. Returns what failed, as readable lines; empty when all is well.
 */
export async function clientProjectChecks(work: string, tarball: string): Promise<string[]> {
  const problems: string[] = [];
  const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
  for (const kind of ["module", "commonjs"] as const) {
    const dir = join(work, `client-${kind}`);
    await mkdir(dir);
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ name: `client-${kind}`, private: true, type: kind }),
    );
    const install = await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball],
      {
        cwd: dir,
      },
    );
    if (install.code !== 0) {
      problems.push(`${kind}: npm install failed: ${install.stderr}`);
      continue;
    }
    const load =
      kind === "module"
        ? `import { LacunaClient } from "@lacuna/client"; console.log(typeof LacunaClient);`
        : `const { LacunaClient } = require("@lacuna/client"); console.log(typeof LacunaClient);`;
    const script = kind === "module" ? "load.mjs" : "load.cjs";
    await writeFile(join(dir, script), load);
    const loaded = await run("node", [script], { cwd: dir });
    if (loaded.code !== 0 || loaded.stdout.trim() !== "function") {
      problems.push(`${kind}: node ${script} printed ${loaded.stdout.trim()}: ${loaded.stderr}`);
    }
    await writeFile(join(dir, "use.ts"), TYPED_USE);
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
    const checked = await run("node", [tsc, "-p", "tsconfig.json"], { cwd: dir });
    if (checked.code !== 0)
      problems.push(`${kind}: tsc failed:\n${checked.stdout}${checked.stderr}`);
  }
  return problems;
}

/**
 * What the browser loads from a file: HTML src/href, JS import specifiers, CSS url() and @import
 * (read as text: a match inside a string is taken too, which errs on the strict side).
 */
function references(path: string, text: string): string[] {
  const patterns = path.endsWith(".css")
    ? [/url\(\s*["']?([^"')\s]+)/g, /@import\s+["']([^"']+)/g]
    : path.endsWith(".js")
      ? [
          /\bfrom\s*["']([^"']+)["']/g,
          /\bimport\s*\(\s*["']([^"']+)["']/g,
          /\bimport\s*["']([^"']+)["']/g,
        ]
      : [/\b(?:src|href)\s*=\s*["']([^"']+)["']/g];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? ""));
}

/**
 * The page at `base`'s `/` and everything it loads, followed from file to file: returns, as
 * readable lines, each reference that leaves `base`'s origin (data: URLs stay) and each absolute
 * http(s) URL inside these files whose host is neither that origin's nor localhost. Empty: the
 * page loads nothing from another host and names no remote endpoint, so it works offline.
 */
export async function externalReferences(base: string): Promise<string[]> {
  const origin = new URL(base).origin;
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue = [new URL("/", origin).href];
  while (queue.length > 0) {
    const url = queue.shift() ?? "";
    if (seen.has(url)) continue;
    seen.add(url);
    const response = await fetch(url);
    if (response.status !== 200) {
      problems.push(`${url}: HTTP ${response.status}`);
      continue;
    }
    const text = await response.text();
    const path = new URL(url).pathname;
    for (const reference of references(path, text)) {
      // a bare specifier (`'ws'`, in an error message's example) is no URL: a browser loads none
      if (reference.startsWith("data:") || !/^(\/|\.\.?\/|[a-z][a-z0-9+.-]*:)/i.test(reference))
        continue;
      const target = new URL(reference, url);
      if (target.origin !== origin) problems.push(`${path} loads ${reference}`);
      else queue.push(target.href);
    }
    for (const [absolute] of text.matchAll(/https?:\/\/[a-zA-Z0-9.-]+(?::\d+)?/g)) {
      const host = new URL(absolute).hostname;
      if (new URL(absolute).origin !== origin && host !== "localhost")
        problems.push(`${path} names ${absolute}`);
    }
  }
  return problems;
}
