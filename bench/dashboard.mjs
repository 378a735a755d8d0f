#!/usr/bin/env node
// The dashboard's scatter with many points, in headless Chromium against a real server: how long a
// zoom and a recolour take to reach the screen (the next animation frame), and a hover (hit test
// and focus ring). `node bench/dashboard.mjs [N]`: default 100000, ten seeded Gaussian clusters in
// 8-d registered as an embeddings dataset (MNIST has 60 000 training images); N up to 60000 takes
// MNIST's training set instead (the first run encodes it, about a minute on 2 cores;
// LACUNA_DATA_DIR keeps the cache between runs). PCA projects every point; every flagged one must
// be ringed.
// Needs Debian's chromium. Prints min, median and max over repeated actions: the machine's load
// moves these a lot, so read them as orders of magnitude.
// the functions passed to page.evaluate run in the page
/* global document, PointerEvent, requestAnimationFrame */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { random } from "@lacuna/core/testing";
import { writeNpyFile } from "@lacuna/io";
import { startServerProcess } from "@lacuna/server/testing";

const n = Number(process.argv[2] ?? 100000);
const MNIST_TRAIN = 60000;
const dataDir =
  process.env.LACUNA_DATA_DIR ?? (await mkdtemp(join(tmpdir(), "lacuna-bench-dashboard-")));
const server = await startServerProcess(dataDir);

/** Ten Gaussian clusters (sd 0.05 around centres in [0.1, 0.9]^8) in 8-d, labelled by cluster. */
async function registerClusters(count) {
  const d = 8;
  const rand = random(20);
  const centres = Array.from({ length: 10 * d }, rand);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const data = new Float32Array(count * d);
  const labels = [];
  for (let i = 0; i < count; i++) {
    const c = Math.floor(rand() * 10);
    labels.push(`c${c}`);
    // clamped: coverage takes embeddings in the unit interval, as DataEval does
    for (let t = 0; t < d; t++)
      data[i * d + t] = Math.min(1, Math.max(0, 0.1 + 0.8 * centres[c * d + t] + 0.05 * gauss()));
  }
  const root = join(dataDir, "datasets");
  await mkdir(root, { recursive: true });
  await writeNpyFile(join(root, "bench-clusters.npy"), data, [count, d]);
  await writeFile(join(root, "bench-clusters.json"), JSON.stringify(labels));
  const id = `bench-clusters-${count}`;
  const answer = await server.graphql(
    `mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { id size } }`,
    {
      input: {
        id,
        kind: "EMBEDDINGS",
        path: "bench-clusters.npy",
        labels: "bench-clusters.json",
      },
    },
  );
  if (answer.body.errors) throw new Error(JSON.stringify(answer.body.errors));
  return id;
}
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const started = Date.now();
  const dataset = n > MNIST_TRAIN ? await registerClusters(n) : "mnist:train";
  await page.goto(`${server.base}?dataset=${dataset}&limit=${n}&k=20&percent=0.01&projection=PCA`);
  try {
    await page
      .locator(`#scatter[data-points='${n}']`)
      .waitFor({ timeout: Number(process.env.BENCH_TIMEOUT_MS ?? 900_000) });
  } catch (error) {
    // what the page says instead: a field error, the run's error, the scatter's note
    const said = await page.evaluate(() =>
      [
        "#phase",
        "#error",
        "#projection-note",
        ".field-error:not([hidden])",
        ".field-note:not([hidden])",
      ]
        .map(
          (s) => `${s}: ${[...document.querySelectorAll(s)].map((e) => e.textContent).join(" | ")}`,
        )
        .join("\n"),
    );
    throw new Error(`no scatter of ${n} points:\n${said}`, { cause: error });
  }
  const rings = await page.locator("#scatter").getAttribute("data-ringed");
  const flagged = await page.locator("#scatter").getAttribute("data-flagged");
  console.log(
    `${n} points of ${dataset} on the scatter after ${((Date.now() - started) / 1000).toFixed(1)} s, ${rings} rings drawn for ${flagged} flagged`,
  );
  if (rings !== flagged) throw new Error(`${flagged} flagged but ${rings} rings drawn`);
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
