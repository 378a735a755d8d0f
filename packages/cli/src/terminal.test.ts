/** Human output under hostile names and closed pipes: escaped, never a stack, never exit 1. */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeNpy } from "@lacuna/io";
import { randomEmbeddings } from "@lacuna/core/testing";
import { coverageTable, perClassTable } from "./report.js";
import { escapeTerminal } from "./terminal.js";
import { bin, lacuna, root } from "./test-support/run.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-terminal-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("escapeTerminal", () => {
  it("leaves no control character, and keeps printable text as it is", () => {
    // eslint-disable-next-line no-control-regex
    const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const out = escapeTerminal(text);
        expect(out).not.toMatch(control);
        if (!control.test(text)) expect(out).toBe(text);
      }),
    );
  });

  it("writes escapes visibly", () => {
    expect(escapeTerminal("\u001b]0;pwned\u0007a\nb\u2028")).toBe("\\x1b]0;pwned\\x07a\\nb\\u2028");
  });
});

describe("tables with many classes", () => {
  it("render with 200 000 class names (no argument spread over data-sized arrays)", () => {
    const classNames = Array.from({ length: 200_000 }, (_, c) => String(c));
    const rows = [
      {
        class: 199_999,
        count: 3,
        uncovered: 1,
        uncoveredFraction: 1 / 3,
        dispersion: null,
        isotropy: null,
        nearDuplicateFraction: null,
        assessable: false,
      },
    ];
    expect(perClassTable(rows as never, classNames)).toMatch(/^199999 /m);
    const table = coverageTable({
      source: "x",
      n: 2,
      d: 1,
      k: 1,
      percent: 0.5,
      method: "adaptive",
      result: {
        coverageRadius: 1,
        uncoveredIndices: Int32Array.from([1]),
        criticalValueRadii: Float64Array.from([1, 2]),
      } as never,
      seconds: 0,
      labels: { labels: Int32Array.from([0, 199_999]), classNames },
    });
    expect(table).toMatch(/199999/);
  });
});

describe("lacuna and hostile names", () => {
  it("escapes control characters in label names in the table", async () => {
    const { data } = randomEmbeddings(40, 3, 7);
    const embeddings = join(dir, "e.npy");
    await writeFile(embeddings, encodeNpy(Float32Array.from(data), [40, 3]));
    const names = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? "\u001b]0;pwned\u0007" : "two\nlines",
    );
    const labels = join(dir, "l.json");
    await writeFile(labels, JSON.stringify(names));
    const run = await lacuna([
      "coverage",
      "--embeddings",
      embeddings,
      "--labels",
      labels,
      "--k",
      "3",
      "--percent",
      "0.5",
      "--per-class",
    ]);
    expect(run.code, run.stderr).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(run.stdout).toContain("\\x1b]0;pwned\\x07");
    expect(run.stdout).toContain("two\\nlines");
  });
});

describe("a reader that stops reading", () => {
  it("`lacuna datasets --json | head -c 0`: exit 0, nothing on stderr", async () => {
    const child = spawn(process.execPath, [bin, "datasets", "--json", "--data-dir", dir], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // close the read end before the child writes: its write meets EPIPE
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
