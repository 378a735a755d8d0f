/**
 * The dashboard in a real browser: headless Chromium (Debian's `chromium`) driven by playwright-core
 * against the real server: the seed scenario, GraphiQL, errors on their fields, the layout from a
 * 390 px phone to a wide screen, light and dark. Outside CI it skips, saying why, when Chromium is
 * not installed; under CI=true it must run (`.ci/run` installs chromium).
 */
import { describe, expect, it } from "vitest";
import {
  available,
  gridReady,
  openPage,
  outside,
  scatterReady,
  screenshot,
  useSession,
} from "./dashboard-support.js";

describe.skipIf(!available)("dashboard in Chromium", () => {
  const session = useSession();

  it("runs the seed scenario on first load, shows the 20 images, re-queries on a control change", async () => {
    const recorded = await openPage(session, { width: 1280, height: 800 });
    const { page } = recorded;
    await page.goto(session.server.base);
    await gridReady(page);
    const tiles = page.locator("#grid .tile img");
    await tiles.nth(19).waitFor();
    expect(await tiles.count()).toBe(20);
    const widths = await tiles.evaluateAll((images) =>
      images.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth),
    );
    expect(widths).toEqual(Array(20).fill(84));
    expect(await page.locator("#grid-range").textContent()).toBe("showing 1-20 of 20");
    const captions = await page.locator("#grid .caption b").allTextContents();
    expect(captions.filter((c) => c === "2" || c === "7").length).toBeGreaterThan(8);
    await expect
      .poll(() => page.locator("#summary").textContent())
      .toMatch(/20 of 2000 uncovered · k 20/);
    await scatterReady(page);
    const scatter = page.locator("#scatter");
    expect(await scatter.getAttribute("data-points")).toBe("2000");
    expect(await scatter.getAttribute("data-flagged")).toBe("20");
    expect(await scatter.getAttribute("data-ringed")).toBe("20");
    await page.locator("#per-class tbody tr").nth(9).waitFor();
    expect(await page.locator("#per-class tbody tr").count()).toBe(10);
    // "done" only once the projection is in too
    await expect.poll(() => page.locator("#phase").textContent()).toBe("done");
    await screenshot(page, "dashboard-seed", true);

    await page.locator('input[name="k"]').fill("10");
    await page.locator("#run").click();
    await expect
      .poll(() => page.locator("#summary").textContent(), { timeout: 60_000 })
      .toMatch(/k 10 · adaptive/);
    expect(page.url()).toMatch(/k=10/);
    await tiles.nth(19).waitFor();

    await tiles.first().click();
    await page.locator("#detail img.large").waitFor();
    await page.locator("#detail .neighbours img").nth(9).waitFor();
    expect(await page.locator("#detail .neighbours img").count()).toBe(10);
    expect(await page.locator("#detail .why").textContent()).toMatch(
      /> coverage radius .*flagged · rank 1 of 2000/,
    );
    await screenshot(page, "dashboard-detail");
    // Back closes the detail, then returns to k 20, within the page
    await page.goBack();
    await expect.poll(() => page.url()).not.toMatch(/sample=/);
    await page.goBack();
    await expect.poll(() => page.url()).toMatch(/k=20/);
    await expect
      .poll(() => page.locator("#summary").textContent(), { timeout: 60_000 })
      .toMatch(/k 20 · adaptive/);
    expect(await page.locator("#f-k").inputValue()).toBe("20");
    expect(outside(recorded, session.server.base)).toEqual([]);
    expect(recorded.problems).toEqual([]);
  });

  it("follows its jobs over the subscription socket, reading each job once at its end, no polling", async () => {
    const recorded = await openPage(session, { width: 1280, height: 800 });
    const { page } = recorded;
    const sockets: string[] = [];
    const sent: string[] = [];
    const received: string[] = [];
    page.on("websocket", (socket) => {
      sockets.push(socket.url());
      socket.on("framesent", (frame) => sent.push(String(frame.payload)));
      socket.on("framereceived", (frame) => received.push(String(frame.payload)));
    });
    // a selection no other test computes, so its coverage runs as a job now
    await page.goto(`${session.server.base}?dataset=mnist:test&limit=1200&k=12&projection=PCA`);
    await expect
      .poll(() => page.locator("#summary").textContent(), { timeout: 90_000 })
      .toMatch(/of 1200 uncovered · k 12/);
    await expect.poll(() => page.locator("#phase").textContent(), { timeout: 90_000 }).toBe("done");
    expect(sockets[0]).toBe(session.server.url.replace(/^http/, "ws"));
    expect(sent.some((f) => f.includes("subscription JobUpdates"))).toBe(true);
    const updates = received.filter((f) => f.includes('"type":"next"'));
    expect(updates.some((f) => f.includes('"SUCCEEDED"'))).toBe(true);
    expect(received.some((f) => f.includes('"type":"complete"'))).toBe(true);
    // each started job is read once when it has ended: the progress came over the socket
    const reads = recorded.operations.filter((name) => name === "Job").length;
    expect(reads).toBeLessThanOrEqual(recorded.jobs.length);
    expect(recorded.problems).toEqual([]);
  });

  it("serves GraphiQL, bundled, offline: the seed query runs from it", async () => {
    const recorded = await openPage(session);
    const { page } = recorded;
    await page.goto(`${session.server.base}graphiql.html`);
    const run = page.locator(".graphiql-execute-button");
    await run.waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.locator(".graphiql-query-editor .view-lines").textContent(), {
        timeout: 60_000,
      })
      .toMatch(/query\s*Seed/);
    await run.click();
    await expect
      .poll(() => page.locator(".graphiql-response").textContent(), { timeout: 60_000 })
      .toMatch(/"coverageRadius":\s*0\.59/);
    expect(outside(recorded, session.server.base)).toEqual([]);
  });

  it("shows an invalid setting on its field before any request, and the server's errors on theirs", async () => {
    const recorded = await openPage(session);
    const { page } = recorded;
    await page.goto(`${session.server.base}?dataset=mnist:train&limit=10&k=20`);
    const kError = page.locator("#error-k");
    await kError.waitFor({ state: "visible", timeout: 60_000 });
    expect(await kError.textContent()).toMatch(/k must be less than the 10 samples selected/);
    expect(await page.locator("#f-k").getAttribute("aria-invalid")).toBe("true");
    // the other controls still answer: the error says why nothing runs
    await page.locator("#f-projection").selectOption("PCA");
    expect(await kError.isVisible()).toBe(true);
    expect(recorded.operations).not.toContain("StartCoverage");

    // what only the server knows (k at most 10000) comes back on the field k, named k; the
    // results on screen, of the earlier settings, are dimmed and said to be stale
    await page.goto(`${session.server.base}?projection=PCA`);
    await gridReady(page);
    await expect.poll(() => page.locator("#phase").textContent(), { timeout: 60_000 }).toBe("done");
    expect(await page.locator("#results").getAttribute("class")).not.toMatch(/stale/);
    await page.locator("#f-limit").fill("20000");
    await page.locator("#f-k").fill("10001");
    // UMAP of 20 000 waits for the coverage (a subsample keeps its flagged), so nothing is encoded
    await page.locator("#f-projection").selectOption("UMAP");
    await expect
      .poll(() => kError.textContent(), { timeout: 60_000 })
      .toMatch(/^k must be an integer k with 1 <= k <= 10000/);
    expect(await kError.textContent()).not.toMatch(/input\.|numObservations/);
    expect(await page.locator("#error").textContent()).toMatch(
      /^the results below are from the previous settings\. BAD_USER_INPUT: /,
    );
    expect(await page.locator("#results").getAttribute("class")).toMatch(/stale/);
    expect(await page.locator("#summary").textContent()).toMatch(
      /stale: these results are for k 20, first 2000 of mnist:train/,
    );
    expect(await page.locator("#phase").textContent()).toBe("failed");
    expect(await page.locator("#projection-note").textContent()).toBe(
      "these points are from the previous settings",
    );
    const opacity = await page
      .locator("#results")
      .evaluate((e) => Number(getComputedStyle(e).opacity));
    expect(opacity).toBeLessThan(1);
    await screenshot(page, "dashboard-server-error");
  });

  it("fits a 360 px phone and a 900 px window, light and dark, with a name on every control", async () => {
    for (const dark of [false, true]) {
      const { page, problems } = await openPage(session, { width: 360, height: 780, dark });
      await page.goto(`${session.server.base}?projection=PCA`);
      await gridReady(page);
      await scatterReady(page);
      await page.locator("#per-class tbody tr").nth(9).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(360);
      const canvas = await page.locator("#scatter").boundingBox();
      expect(canvas!.x + canvas!.width).toBeLessThanOrEqual(360);
      const background = await page.evaluate(
        () => getComputedStyle(document.documentElement).backgroundColor,
      );
      // the page follows the browser's preference: near black in dark mode, near white in light
      const [r] = background.match(/\d+/g)!.map(Number);
      expect(dark ? r! < 40 : r! > 230).toBe(true);
      await screenshot(page, `dashboard-360-${dark ? "dark" : "light"}`, true);
      await page.locator("#grid .tile").first().click();
      await page.locator("#detail .neighbours img").nth(5).waitFor({ timeout: 60_000 });
      const dialog = await page.locator("#detail").boundingBox();
      expect(dialog!.x).toBeGreaterThanOrEqual(0);
      expect(dialog!.x + dialog!.width).toBeLessThanOrEqual(360);
      // nothing inside the dialog overflows it sideways either
      expect(await page.locator("#detail").evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(
        true,
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(360);
      await screenshot(page, `dashboard-360-${dark ? "dark" : "light"}-detail`);
      expect(problems).toEqual([]);
    }

    const { page } = await openPage(session, { width: 900, height: 800 });
    await page.goto(`${session.server.base}?projection=PCA`);
    await gridReady(page);
    const gridBox = await page.locator("#grid").boundingBox();
    const tiles = await page
      .locator("#grid .tile")
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
    for (const right of tiles) expect(right).toBeLessThanOrEqual(gridBox!.x + gridBox!.width + 0.5);
    // every control has an accessible name: its label, aria-label or text
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll("button, select, input, canvas, dialog")]
        .filter((e) => {
          const labels = (e as HTMLInputElement).labels;
          return !(
            (labels && labels.length > 0) ||
            e.getAttribute("aria-label") ||
            e.getAttribute("aria-labelledby") ||
            e.textContent?.trim()
          );
        })
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    await screenshot(page, "dashboard-900", true);
  });
});
