import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// the `lacuna` command of @lacuna/cli, by path: the server cannot import the CLI (which imports it),
// and a real `lacuna serve` is what these tests are about; turbo builds the CLI before them
const bin = fileURLToPath(new URL("../../../cli/bin/lacuna.js", import.meta.url));

/** A real `lacuna serve` process on a free port. */
export interface ServerProcess {
  readonly url: string;
  readonly base: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr (its JSON log) so far. */
  log(): string;
  /** Sends the signal and resolves with the exit code (or the signal's name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  /** POSTs a GraphQL operation and returns the HTTP status and the parsed body. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{
    status: number;
    body: { data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  }>;
}

export function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--data-dir", dataDir], {
    env: { ...process.env, LACUNA_THREADS: "2", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 60 s: ${stderr}`)),
      60_000,
    );
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before serving: ${stderr}`));
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = stdout.match(/serving GraphQL at (http:\/\/\S+\/graphql)/)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({
        url,
        base: url.replace(/graphql$/, ""),
        child,
        log: () => stderr,
        stop(signal = "SIGTERM") {
          child.kill(signal);
          return exited;
        },
        async graphql(query, variables, headers = {}) {
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: JSON.stringify({ query, variables }),
          });
          return { status: response.status, body: (await response.json()) as never };
        },
      });
    });
  });
}
