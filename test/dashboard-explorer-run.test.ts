/**
 * The dashboard as an explorer (issue 20), in Chromium against the real server, continued from
 * dashboard-explorer.test.ts: honest run states, the form, the detail with real Back history, per
 * class as where to collect. One test per item of the issue.
 */
import { describe, expect, it } from "vitest";
import {
  available,
  gridReady,
  jobStatus,
  openPage,
  scatterReady,
  screenshot,
  useSession,
  SEED_PCA,
} from "./dashboard-support.js";

describe.skipIf(!available)("the dashboard as an explorer: runs, form, detail, per class", () => {
  const session = useSession();
  it("5: progress until really done, stale results dimmed, Cancel and superseded runs cancel their jobs", async () => {
    const recorded = await openPage(session);
    const { page } = recorded;
    await page.goto(`${session.server.base}${SEED_PCA}`);
    await gridReady(page);
    await expect.poll(() => page.locator("#phase").textContent()).toBe("done");

    // a t-SNE of a new selection: its progress shows, the old results are dimmed meanwhile
    const projections = () => recorded.jobs.filter((j) => j.kind === "StartProjection");
    const started = projections().length;
    await page.locator("#f-limit").fill("1500");
    // a select runs at once
    await page.locator("#f-projection").selectOption("TSNE");
    await expect.poll(() => page.locator("#results").getAttribute("class")).toMatch(/stale/);
    expect(await page.locator("#summary").textContent()).toMatch(
      /stale: these results are for k 20, first 2000/,
    );
    await page.locator("#projection-progress").waitFor({ state: "visible", timeout: 60_000 });
    await screenshot(page, "dashboard-running");
    await page.locator("#cancel").click();
    await expect.poll(() => page.locator("#phase").textContent()).toMatch(/cancelled/);
    await expect.poll(() => projections().length).toBe(started + 1);
    const projectionJob = projections().at(-1)!;
    await expect.poll(() => jobStatus(session, projectionJob.id)).toBe("CANCELLED");
    // the coverage of 1500 may have come in before Cancel (it is quick, t-SNE is not): then the
    // results are current and only the projection, whose job was cancelled, stays stale
    if (/of 1500 uncovered/.test((await page.locator("#summary").textContent()) ?? ""))
      expect(await page.locator("#projection-panel").getAttribute("class")).toMatch(/stale/);
    else expect(await page.locator("#results").getAttribute("class")).toMatch(/stale/);
    // Run runs the cancelled settings again
    await page.locator("#run").click();
    await expect.poll(() => projections().length).toBe(started + 2);
    expect(await page.locator("#phase").textContent()).not.toMatch(/cancelled/);

    // a run superseded by another: its jobs are cancelled on the server, not left computing
    await page.locator("#f-limit").fill("1400");
    await page.locator("#run").click();
    await expect.poll(() => projections().length).toBe(started + 3);
    const superseded = projections().at(-1)!;
    await page.locator("#f-limit").fill("1300");
    await page.locator("#f-projection").selectOption("PCA");
    await expect.poll(() => jobStatus(session, superseded.id)).toBe("CANCELLED");
    await expect
      .poll(() => page.locator("#summary").textContent(), { timeout: 120_000 })
      .toMatch(/of 1300 uncovered/);
    expect(await page.locator("#results").getAttribute("class")).not.toMatch(/stale/);
    // the per-class table belongs to the run on screen: its flagged counts add up to that run's
    await page
      .locator("#per-class-note")
      .filter({ hasText: /completeness/ })
      .waitFor();
    const flagged = await page.locator("#per-class tbody td:nth-child(3)").allTextContents();
    expect(flagged.map(Number).reduce((a, b) => a + b, 0)).toBe(13);
    await expect
      .poll(() => page.locator("#phase").textContent(), { timeout: 120_000 })
      .toBe("done");
    expect(recorded.problems).toEqual([]);
  });

  it("6: the fraction in %, inline help, percent off under naive, errors on their field, first n clamped", async () => {
    const { page } = await openPage(session);
    await page.goto(
      `${session.server.base}?dataset=mnist:test&limit=20000&k=20&percent=0.01&projection=PCA`,
    );
    await page.locator("#note-limit").waitFor({ state: "visible", timeout: 60_000 });
    expect(await page.locator("#note-limit").textContent()).toMatch(
      /has 10000 samples: first n is 10000, not 20000/,
    );
    await expect.poll(() => page.url()).toMatch(/limit=10000/);
    expect(await page.locator("#f-limit").inputValue()).toBe("10000");
    expect(await page.locator("#f-percent").inputValue()).toBe("1");
    expect(await page.locator("#percent-reading").textContent()).toMatch(
      /= 0.01 as a fraction: 100 of 10000 samples/,
    );
    expect(await page.locator("#help-k").textContent()).toMatch(/k-th nearest neighbour/);
    expect(await page.locator("#help-method").textContent()).toMatch(/Naive/);
    await page.locator("#f-percent").fill("150");
    await page.locator("#run").click();
    expect(await page.locator("#error-percent").textContent()).toMatch(/at most 100 %/);
    expect(await page.locator("#f-percent").getAttribute("aria-invalid")).toBe("true");
    await page.locator("#f-percent").fill("5");
    expect(await page.locator("#percent-reading").textContent()).toMatch(/500 of 10000/);
    await page.locator("#f-method").selectOption("NAIVE");
    expect(await page.locator("#f-percent").isDisabled()).toBe(true);
    expect(await page.locator("#percent-reading").textContent()).toMatch(/not used by naive/);
    await screenshot(page, "dashboard-form");
  });

  it("7: the detail steps, opens neighbours, marks other labels, lives in the URL, and Back works", async () => {
    const { page, problems } = await openPage(session, { width: 1280, height: 800 });
    await page.goto(`${session.server.base}${SEED_PCA}`);
    await gridReady(page);
    const start = page.url();
    const tiles = page.locator("#grid .tile");
    const first = await tiles.nth(0).getAttribute("data-index");
    const second = await tiles.nth(1).getAttribute("data-index");
    await tiles.nth(0).click();
    const dialog = page.getByRole("dialog", { name: new RegExp(`Sample ${first}, label`) });
    await dialog.waitFor();
    expect(page.url()).toMatch(new RegExp(`sample=${first}`));
    await page.locator("#detail .neighbour").nth(19).waitFor();
    // neighbours of another label are marked, and only those
    const marks = await page
      .locator("#detail .neighbour")
      .evaluateAll((els) =>
        els.map((e) => [e.classList.contains("other-label"), e.textContent!.includes("≠")]),
      );
    for (const [marked, sign] of marks) expect(marked).toBe(sign);
    expect(await page.locator("#detail-position").textContent()).toBe("1 of 20 flagged in view");
    await page.locator("#detail-next").click();
    await page.getByRole("dialog", { name: new RegExp(`Sample ${second},`) }).waitFor();
    expect(page.url()).toMatch(new RegExp(`sample=${second}`));
    const neighbour = await page.locator("#detail .neighbour").first().getAttribute("data-index");
    await page.locator("#detail .neighbour").first().click();
    await page.getByRole("dialog", { name: new RegExp(`Sample ${neighbour},`) }).waitFor();
    // Back: the previous sample, then the first, then the dialog closes, all within the page
    await page.goBack();
    await page.getByRole("dialog", { name: new RegExp(`Sample ${second},`) }).waitFor();
    await page.goBack();
    await page.getByRole("dialog", { name: new RegExp(`Sample ${first},`) }).waitFor();
    await page.goBack();
    await expect
      .poll(() => page.locator("#detail").evaluate((d) => (d as HTMLDialogElement).open))
      .toBe(false);
    expect(page.url()).toBe(start);
    // the URL opens the sample by itself; a click outside the dialog closes it
    await page.goto(`${session.server.base}${SEED_PCA}&sample=${second}`);
    await page
      .getByRole("dialog", { name: new RegExp(`Sample ${second},`) })
      .waitFor({ timeout: 60_000 });
    // Previous steps back through the flagged samples
    await page.locator("#detail-previous").click();
    await page.getByRole("dialog", { name: new RegExp(`Sample ${first},`) }).waitFor();
    expect(page.url()).toMatch(new RegExp(`sample=${first}`));
    expect(await page.locator("#detail-position").textContent()).toBe("1 of 20 flagged in view");
    expect(await page.locator("#detail-previous").isDisabled()).toBe(true);
    await page.mouse.click(5, 5);
    await expect.poll(() => page.url()).not.toMatch(/sample=/);
    expect(problems).toEqual([]);
  });

  it("7: per class is a sortable, explained where-to-collect view whose classes filter the grid and the scatter", async () => {
    const { page } = await openPage(session);
    await page.goto(`${session.server.base}${SEED_PCA}`);
    await page
      .locator("#per-class-note")
      .filter({ hasText: /completeness/ })
      .waitFor({ timeout: 120_000 });
    await scatterReady(page);
    const header = page.locator("#per-class th[aria-sort='descending']");
    expect(await header.textContent()).toMatch(/flagged share/);
    expect(await header.locator("button").getAttribute("title")).toMatch(/Collect here first/);
    expect(await page.locator("#per-class-help").textContent()).toMatch(/dispersion.*DataEval/);
    const shares = (await page.locator("#per-class tbody .bar-text").allTextContents()).map(
      parseFloat,
    );
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    await page.locator("#per-class th button", { hasText: "samples" }).click();
    const counts = (await page.locator("#per-class tbody td:nth-child(2)").allTextContents()).map(
      Number,
    );
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const top = page.locator("#per-class .class-pick").first();
    const cls = await top.getAttribute("data-class");
    await page.locator(`#per-class .class-pick[data-class='${cls}']`).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`class=${cls}`));
    await expect
      .poll(() => page.locator("#grid-note").textContent())
      .toMatch(new RegExp(`Only class ${cls}`));
    const labels = await page.locator("#grid .caption b").allTextContents();
    expect(labels.every((l) => l === cls)).toBe(true);
    // the scatter too: only the class's flagged points are ringed (the others are faded)
    const classFlagged = Number(
      await page
        .locator("#per-class tbody tr", { has: page.locator(`.class-pick[data-class='${cls}']`) })
        .locator("td:nth-child(3)")
        .textContent(),
    );
    expect(classFlagged).toBeGreaterThan(0);
    expect(classFlagged).toBeLessThan(20);
    await expect
      .poll(() => page.locator("#scatter").getAttribute("data-ringed"))
      .toBe(String(classFlagged));
    expect(labels).toHaveLength(classFlagged);
    expect(
      await page
        .locator(`#per-class .class-pick[data-class='${cls}']`)
        .getAttribute("aria-pressed"),
    ).toBe("true");
    await screenshot(page, "dashboard-class", true);
  });
});
