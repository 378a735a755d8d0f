/**
 * The dashboard in a real browser: headless Chromium (Debian's `chromium`) driven by playwright-core
 * against the real server. Outside CI it skips, saying why, when Chromium is not installed; under
 * CI=true it must run (`.ci/run` installs chromium).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import { type ServerProcess, startServerProcess } from "@lacuna/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dirname, "..", "test-artifacts");
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === "true") {
  throw new Error(`${CHROMIUM} is required under CI (apt-get install chromium)`);
}
if (!available)
  console.warn(`dashboard tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

let dataDir: string;
let profile: string;
let server: ServerProcess;
let browser: BrowserContext;

describe.skipIf(!available)("dashboard in Chromium", () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "lacuna-dashboard-"));
    profile = await mkdtemp(join(tmpdir(), "lacuna-chromium-"));
    server = await startServerProcess(dataDir);
    // a fresh profile each run: launchPersistentContext is how playwright takes --user-data-dir
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  });

  it("runs the seed scenario on first load, shows the 20 images, re-queries on a control change", async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 1000 });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });

    await page.goto(server.base);
    const tiles = page.locator("#grid .tile img");
    await tiles.nth(19).waitFor({ timeout: 90_000 });
    expect(await tiles.count()).toBe(20);
    // every image decoded (a broken data URL has naturalWidth 0)
    const widths = await tiles.evaluateAll((images) =>
      images.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth),
    );
    expect(widths).toEqual(Array(20).fill(84));
    const captions = await page.locator("#grid .caption b").allTextContents();
    expect(captions.filter((c) => c === "2" || c === "7").length).toBeGreaterThan(8);
    await expect
      .poll(() => page.locator("#summary").textContent())
      .toMatch(/20 of 2000 uncovered · k 20/);
    // the scatter of the projection, the uncovered samples ringed
    const scatter = page.locator("#scatter");
    await scatter.waitFor({ timeout: 90_000 });
    expect(await scatter.getAttribute("data-points")).toBe("2000");
    expect(await scatter.getAttribute("data-uncovered")).toBe("20");
    // the per-class table: one row per digit
    await page.locator("#per-class tbody tr").nth(9).waitFor();
    expect(await page.locator("#per-class tbody tr").count()).toBe(10);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-seed.png"), fullPage: true });

    // a control change re-queries: k = 10
    await page.locator('input[name="k"]').fill("10");
    await page.locator('#controls button[type="submit"]').click();
    await expect
      .poll(() => page.locator("#summary").textContent(), { timeout: 60_000 })
      .toMatch(/k 10/);
    expect(page.url()).toMatch(/k=10/);
    await tiles.nth(19).waitFor();

    // clicking an image shows it large, with its k nearest neighbours
    await tiles.first().click();
    await page.locator("#detail img.large").waitFor();
    await page.locator("#detail .neighbours img").nth(9).waitFor();
    expect(await page.locator("#detail .neighbours img").count()).toBe(10);
    expect(await page.locator("#detail .why").textContent()).toMatch(
      /> coverage radius .*flagged · rank 1 of 2000/,
    );
    expect(
      await page.locator("#detail").evaluate((d) => (d as unknown as { open: boolean }).open),
    ).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-detail.png") });

    // offline: nothing requested from any other host, no errors in the console
    const origin = new URL(server.base).origin;
    expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith("data:"))).toEqual(
      [],
    );
    expect(problems).toEqual([]);
  });

  it("serves GraphiQL, bundled, offline: the seed query runs from it", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(`${server.base}graphiql.html`);
    const run = page.locator(".graphiql-execute-button");
    await run.waitFor({ timeout: 60_000 });
    // Monaco fills the editor (and GraphiQL loads the schema) after the button appears
    await expect
      .poll(() => page.locator(".graphiql-query-editor .view-lines").textContent(), {
        timeout: 60_000,
      })
      .toMatch(/query\s*Seed/);
    await run.click();
    await expect
      .poll(() => page.locator(".graphiql-response").textContent(), { timeout: 60_000 })
      .toMatch(/"coverageRadius":\s*0\.59/);
    const origin = new URL(server.base).origin;
    const external = requests.filter(
      (url) => !url.startsWith(origin) && !/^(data|blob):/.test(url),
    );
    expect(external).toEqual([]);
  });

  it("shows errors instead of swallowing them", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}?dataset=mnist:train&limit=10&k=20`);
    const alert = page.locator("#error");
    await alert.waitFor({ state: "visible", timeout: 60_000 });
    expect(await alert.textContent()).toMatch(
      /BAD_USER_INPUT: input.numObservations must be less than the number of selected samples \(10\)/,
    );
  });
});
