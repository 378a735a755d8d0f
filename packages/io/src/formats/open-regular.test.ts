/** FIFOs, folders and devices are refused before any open could block. */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileNotFoundError } from "../errors.js";
import { loadEmbeddingsNpy } from "../embeddings/input.js";
import { readLabels } from "../embeddings/labels.js";
import { readIdxFile } from "./idx-file.js";
import { openRegularFile, requireRegularFile } from "./open-regular.js";

let dir: string;
let fifo: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-fifo-"));
  fifo = join(dir, "fifo.npy");
  execFileSync("mkfifo", [fifo]);
  await mkdir(join(dir, "folder.npy"));
  await writeFile(join(dir, "plain.txt"), "hello");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("regular files only", () => {
  it("refuses a FIFO, a folder and a device, naming what it is", async () => {
    await expect(requireRegularFile(fifo)).rejects.toThrow(/not a regular file \(a FIFO/);
    await expect(openRegularFile(fifo)).rejects.toThrow(FileNotFoundError);
    await expect(requireRegularFile(join(dir, "folder.npy"))).rejects.toThrow(/a folder/);
    await expect(requireRegularFile("/dev/zero")).rejects.toThrow(/a device/);
    await expect(requireRegularFile(join(dir, "missing"))).rejects.toThrow(/no such file/);
  });

  it("opens a regular file", async () => {
    const handle = await openRegularFile(join(dir, "plain.txt"));
    expect(await handle.readFile("utf8")).toBe("hello");
    await handle.close();
  });

  it("every reader refuses a FIFO instead of blocking on it", async () => {
    for (const read of [
      () => loadEmbeddingsNpy(fifo),
      () => readLabels(fifo),
      () => readLabels(join(dir, "folder.npy")),
      () => readIdxFile(fifo),
      () => readIdxFile("/dev/zero"),
    ])
      await expect(read()).rejects.toThrow(/not a regular file/);
    const json = join(dir, "labels.json");
    execFileSync("mkfifo", [json]);
    await expect(readLabels(json)).rejects.toThrow(/not a regular file \(a FIFO/);
  });
});
