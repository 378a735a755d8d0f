#!/usr/bin/env node
// The dashboard's scatter with many points, in headless Chromium against a real server: how long a
// zoom and a recolour take to reach the screen (the next animation frame), and a hover (hit test
// and focus ring). `node bench/dashboard.mjs [N]` (default 60000, MNIST's training set; the first
// run encodes it, about a minute on 2 cores; LACUNA_DATA_DIR keeps the cache between runs).
// Needs Debian's chromium. Prints min, median and max over repeated actions: the machine's load
// moves these a lot, so read them as orders of magnitude.
// the functions passed to page.evaluate run in the page
/* global document, PointerEvent, requestAnimationFrame */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServerProcess } from "@lacuna/server/testing";

const n = Number(process.argv[2] ?? 60000);
const dataDir =
  process.env.LACUNA_DATA_DIR ?? (await mkdtemp(join(tmpdir(), "lacuna-bench-dashboard-")));
const server = await startServerProcess(dataDir);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const started = Date.now();
  await page.goto(`${server.base}?dataset=mnist:train&limit=${n}&k=20&percent=0.01&projection=PCA`);
  await page.locator(`#scatter[data-points='${n}']`).waitFor({ timeout: 900_000 });
  console.log(`${n} points on the scatter after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const stats = (xs) => {
    const v = [...xs].sort((a, b) => a - b);
    return `min ${v[0].toFixed(0)} ms, median ${v[v.length >> 1].toFixed(0)} ms, max ${v.at(-1).toFixed(0)} ms`;
  };
  // the time from the action to the next frame, after the scatter's own frame callback drew
  const toFrame = (action) =>
    page.evaluate(
      (code) =>
        new Promise((resolve) => {
          const t = performance.now();
          new Function(code)();
          requestAnimationFrame(() => resolve(performance.now() - t));
        }),
      action,
    );
  const zoom = [];
  for (const key of ["+", "-", "+", "-", "+", "-", "+", "-", "0"]) {
    zoom.push(
      await toFrame(
        `document.getElementById("scatter").dispatchEvent(new KeyboardEvent("keydown", { key: ${JSON.stringify(key)} }))`,
      ),
    );
  }
  console.log(`zoom: ${stats(zoom)}`);
  const recolour = [];
  for (const by of ["radius", "flagged", "label", "radius", "flagged", "label"]) {
    recolour.push(
      await toFrame(
        `const s = document.getElementById("colour-by"); s.value = ${JSON.stringify(by)}; s.dispatchEvent(new Event("change"))`,
      ),
    );
  }
  console.log(`recolour: ${stats(recolour)}`);
  const hover = await page.evaluate(() => {
    const c = document.getElementById("scatter");
    const r = c.getBoundingClientRect();
    const t = performance.now();
    for (let i = 0; i < 100; i++) {
      c.dispatchEvent(
        new PointerEvent("pointermove", {
          clientX: r.left + 100 + i * 3,
          clientY: r.top + 200 + i * 2,
        }),
      );
    }
    return (performance.now() - t) / 100;
  });
  console.log(`hover (hit test, focus ring): ${hover.toFixed(2)} ms a move`);
} finally {
  await browser.close();
  await server.stop();
}
