import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileNotFoundError, InvalidFileError } from "../errors.js";
import { loadImageFolder } from "./image-folder.js";
import { loadDataset } from "./registry.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-folder-"));
  await mkdir(join(dir, "good/cats"), { recursive: true });
  await mkdir(join(dir, "good/dogs"), { recursive: true });
  // a white 40 x 40 grey PNG, a black 40 x 40 grey PNG, a red 10 x 20 RGB JPEG
  const grey = (v: number) =>
    sharp(Buffer.alloc(40 * 40, v), { raw: { width: 40, height: 40, channels: 1 } });
  await grey(255).png().toFile(join(dir, "good/cats/a.png"));
  await grey(0).png().toFile(join(dir, "good/cats/b.png"));
  await sharp(Buffer.from(new Array(10 * 20).fill([255, 0, 0]).flat()), {
    raw: { width: 20, height: 10, channels: 3 },
  })
    .jpeg({ quality: 95 })
    .toFile(join(dir, "good/dogs/c.JPG"));
  await writeFile(join(dir, "good/dogs/notes.txt"), "not an image");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("image folders", () => {
  it("reads one class per sub-folder, PNG and JPEG, grey and colour, resized to the encoder's input", async () => {
    const ds = await loadImageFolder(join(dir, "good"), { imageShape: [28, 28, 1] });
    expect([ds.size, ds.imageShape, ds.classNames, Array.from(ds.labels)]).toEqual([
      3,
      [28, 28, 1],
      ["cats", "dogs"],
      [0, 0, 1],
    ]);
    expect(ds.pixels[0]).toBe(255);
    expect(ds.pixels[784]).toBe(0);
    // pure red becomes a mid grey: neither the white nor the black of the other two images
    expect(ds.pixels[2 * 784]).toBeGreaterThan(20);
    expect(ds.pixels[2 * 784]).toBeLessThan(235);
    const rgb = await loadImageFolder(join(dir, "good"), { imageShape: [8, 8, 3] });
    expect(rgb.pixels.length).toBe(3 * 8 * 8 * 3);
  });

  it("is reachable as folder:DIR, at MNIST's 28 x 28 grey", async () => {
    const ds = await loadDataset(`folder:${join(dir, "good")}`);
    expect([ds.id, ds.size, ds.imageShape]).toEqual([
      `folder:${join(dir, "good")}`,
      3,
      [28, 28, 1],
    ]);
  });

  it("names an unreadable image, and refuses folders without classes or images", async () => {
    await mkdir(join(dir, "bad/x"), { recursive: true });
    await writeFile(
      join(dir, "bad/x/broken.png"),
      Buffer.from("\x89PNG\r\n\x1a\nthis is not really a png"),
    );
    await expect(loadImageFolder(join(dir, "bad"), { imageShape: [28, 28, 1] })).rejects.toThrow(
      InvalidFileError,
    );
    await expect(loadImageFolder(join(dir, "bad"), { imageShape: [28, 28, 1] })).rejects.toThrow(
      /broken\.png: unreadable image/,
    );
    await mkdir(join(dir, "flat"));
    await writeFile(join(dir, "flat/a.png"), "");
    await expect(loadImageFolder(join(dir, "flat"), { imageShape: [28, 28, 1] })).rejects.toThrow(
      /no class folders/,
    );
    await mkdir(join(dir, "empty/c"), { recursive: true });
    await expect(loadImageFolder(join(dir, "empty"), { imageShape: [28, 28, 1] })).rejects.toThrow(
      /no PNG or JPEG images/,
    );
    await expect(loadImageFolder(join(dir, "absent"), { imageShape: [28, 28, 1] })).rejects.toThrow(
      FileNotFoundError,
    );
  });
});
