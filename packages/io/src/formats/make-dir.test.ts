import { existsSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDirectory } from "./make-dir.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-mkdir-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("makeDirectory", () => {
  it("makes missing parents and accepts an existing folder", () => {
    const deep = join(dir, "a", "b", "c");
    makeDirectory(deep);
    makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it("refuses a file on the path with ENOTDIR", () => {
    writeFileSync(join(dir, "file"), "x");
    expect(() => makeDirectory(join(dir, "file", "sub"))).toThrow(
      expect.objectContaining({ code: "ENOTDIR" }),
    );
  });

  it.runIf(existsSync("/proc/self"))(
    "fails at once under /proc, where Node's recursive mkdir spins forever",
    () => {
      expect(() => makeDirectory("/proc/x/y")).toThrow(expect.objectContaining({ code: "ENOENT" }));
    },
  );
});
