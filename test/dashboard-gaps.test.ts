/**
 * The dashboard's issue 17 panels in Chromium against the real server: the gap regions of the
 * coverage on screen (with downloads that the server answers), and "what to label next" from a
 * pool with a budget, checked against the client's answers for the same requests.
 */
import { LacunaClient } from "@lacuna/client";
import { describe, expect, it } from "vitest";
import { available, gridReady, openPage, screenshot, useSession } from "./dashboard-support.js";

const VIEW = "?dataset=mnist:train&limit=1000&k=10&percent=0.02&method=ADAPTIVE&projection=PCA";

describe.skipIf(!available)("the dashboard's gap regions and collect panels", () => {
  const session = useSession();

  it("lists the gap regions of the result on screen, as the client gets them, with working downloads", async () => {
    const { page, problems } = await openPage(session);
    await page.goto(`${session.server.base}${VIEW}`);
    await gridReady(page, 180_000);
    await expect
      .poll(() => page.locator("#gaps-list .gap-region").count(), { timeout: 60_000 })
      .toBeGreaterThan(0);
    const client = new LacunaClient({ url: session.server.url });
    const input = {
      datasetId: "mnist:train",
      selection: { limit: 1000 },
      numObservations: 10,
      percent: 0.02,
    };
    const regions = await client.gapRegions(input);
    const sizes = await page
      .locator("#gaps-list .gap-region")
      .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.size)));
    expect(sizes).toEqual(regions.map((r) => r.size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
    const href = await page.locator("#gaps-note a", { hasText: "CSV" }).getAttribute("href");
    const csv = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(csv.trimEnd().split("\n")).toHaveLength(21);
    expect(problems).toEqual([]);
  });

  it("chooses pool images with a budget, the same as the client, and shows before and after", async () => {
    const { page, problems } = await openPage(session);
    await page.goto(`${session.server.base}${VIEW}`);
    await gridReady(page, 180_000);
    await page.locator("#collect-pool").selectOption("mnist:test");
    await page.locator("#collect-pool-limit").fill("500");
    await page.locator("#collect-budget").fill("8");
    await expect.poll(() => page.locator("#collect-run").isDisabled()).toBe(false);
    await page.locator("#collect-run").click();
    await expect
      .poll(() => page.locator("#collect-summary").textContent(), { timeout: 120_000 })
      .toMatch(/picks: deficit \d+ → \d+/);
    const client = new LacunaClient({ url: session.server.url });
    const expected = await client.collect({
      reference: { datasetId: "mnist:train", selection: { limit: 1000 } },
      pool: { datasetId: "mnist:test", selection: { limit: 500 } },
      budget: 8,
      numObservations: 10,
      percent: 0.02,
      method: "ADAPTIVE",
    });
    expect(expected.cached).toBe(true);
    const shown = await page
      .locator("#collect-picks .pick")
      .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.index)));
    expect(shown).toEqual(expected.selectedIndices);
    expect(await page.locator("#collect-summary").textContent()).toContain(
      `deficit ${expected.deficitBefore} → ${expected.deficitAfter}`,
    );
    await screenshot(page, "dashboard-gaps-collect", true);
    expect(problems).toEqual([]);
  });
});
