import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lacuna } from "./test-support/run.js";

const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

describe("lacuna --version", () => {
  it("prints the package's version and exits 0, as -v too", async () => {
    for (const flag of ["--version", "-v"]) {
      const run = await lacuna([flag]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });
});
