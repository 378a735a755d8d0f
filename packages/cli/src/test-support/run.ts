/** The `lacuna` process as the CLI's tests run it, and the shape every bad-input answer must have. */
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../../../..");
export const bin = resolve(here, "../../bin/lacuna.js");
export const fixtures = join(root, "test/fixtures/reference");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `lacuna args` in `cwd` with `env` over this process's environment; never rejects. */
export function lacuna(args: string[], cwd = root, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, maxBuffer: 64 << 20, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        done({
          code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** onnxruntime-node loads here (optional: CI installs it, so there it must). */
export async function runtimeInstalled(): Promise<boolean> {
  try {
    await import("onnxruntime-node" as string);
    return true;
  } catch {
    expect(process.env.CI).not.toBe("true");
    return false;
  }
}

/** A bad-input run: exit 2, exactly one line on stderr matching `message`, nothing on stdout, no stack. */
export function expectBadInput(run: Run, message: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}
