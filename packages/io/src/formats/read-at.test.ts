import { open, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFsError } from "./fs-errors.js";
import { readAt } from "./read-at.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-read-at-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readAt", () => {
  it("reads exactly the bytes asked for", async () => {
    const file = join(dir, "whole.bin");
    await writeFile(file, Uint8Array.from([1, 2, 3, 4, 5]));
    const handle = await open(file, "r");
    expect(Array.from(await readAt(handle, 1, 3))).toEqual([2, 3, 4]);
    await handle.close();
  });

  it("fails on a file truncated after its size was checked, instead of returning fewer bytes", async () => {
    const file = join(dir, "shrinks.bin");
    await writeFile(file, new Uint8Array(1000).fill(7));
    const handle = await open(file, "r");
    const size = (await handle.stat()).size;
    await truncate(file, 10); // another process cuts it between the check and the read
    const error = await readAt(handle, 0, size).catch((e: unknown) => e);
    await handle.close();
    expect(isFsError(error)).toBe(true);
    expect((error as Error).message).toMatch(/ended after 10 bytes where 1000 were expected/);
  });
});
