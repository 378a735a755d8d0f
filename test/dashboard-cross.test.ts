/**
 * The dashboard's reference-vs-query view and the gap regions on the projection, in Chromium
 * against the real server, checked against the client's answers for the same requests.
 */
import { LacunaClient } from "@lacuna/client";
import { describe, expect, it } from "vitest";
import {
  available,
  gridReady,
  openPage,
  scatterReady,
  screenshot,
  useSession,
} from "./dashboard-support.js";

const VIEW = "?dataset=mnist:train&limit=1000&k=10&percent=0.02&method=ADAPTIVE&projection=PCA";
const REFERENCE = { datasetId: "mnist:train", selection: { limit: 1000 } };

describe.skipIf(!available)("the dashboard's cross coverage and regions on the projection", () => {
  const session = useSession();

  it("outlines every gap region of the result on the projection", async () => {
    const { page, problems } = await openPage(session);
    await page.goto(`${session.server.base}${VIEW}`);
    await gridReady(page, 180_000);
    await scatterReady(page, 180_000);
    const client = new LacunaClient({ url: session.server.url });
    const regions = await client.gapRegions({ ...REFERENCE, numObservations: 10, percent: 0.02 });
    expect(regions.length).toBeGreaterThan(0);
    // the projection holds the same 1000 samples, so every region has members on it
    await expect
      .poll(() => page.locator("#scatter").getAttribute("data-regions"), { timeout: 60_000 })
      .toBe(String(regions.length));
    expect(problems).toEqual([]);
  });

  it("compares the coverage on screen with a query set, as the client does", async () => {
    const { page, problems } = await openPage(session);
    await page.goto(`${session.server.base}${VIEW}`);
    await gridReady(page, 180_000);
    await page.locator("#cross-query").selectOption("mnist:test");
    await page.locator("#cross-query-limit").fill("300");
    await expect.poll(() => page.locator("#cross-run").isDisabled()).toBe(false);
    await page.locator("#cross-run").click();
    await expect
      .poll(() => page.locator("#cross-summary").textContent(), { timeout: 120_000 })
      .toMatch(/of 300 query samples uncovered/);
    const client = new LacunaClient({ url: session.server.url });
    const expected = await client.crossCoverage(
      {
        reference: REFERENCE,
        query: { datasetId: "mnist:test", selection: { limit: 300 } },
        numObservations: 10,
        percent: 0.02,
        method: "ADAPTIVE",
      },
      { first: 60, nearest: 1 },
    );
    expect(expected.cached).toBe(true);
    expect(expected.uncoveredCount).toBeGreaterThan(0);
    expect(await page.locator("#cross-summary").getAttribute("data-uncovered")).toBe(
      String(expected.uncoveredCount),
    );
    const pairs = await page
      .locator("#cross-uncovered .cross-pair")
      .evaluateAll((items) =>
        items.map((item) => [
          Number((item as HTMLElement).dataset.index),
          Number((item as HTMLElement).dataset.nearest),
        ]),
      );
    expect(pairs).toEqual(expected.uncovered.map((u) => [u.sample.index, u.nearest[0]!.index]));
    expect(await page.locator("#cross-uncovered img").count()).toBe(2 * pairs.length);
    const sizes = await page
      .locator("#cross-regions .gap-region")
      .evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.size)));
    expect(sizes).toEqual(expected.gapRegions.map((g) => g.size));
    expect(await page.locator("#cross-classes tr[data-label]").count()).toBe(
      expected.perClass!.length,
    );
    const href = await page.locator("#cross-summary a", { hasText: "CSV" }).getAttribute("href");
    const csv = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(csv.trimEnd().split("\n")).toHaveLength(expected.uncoveredCount + 1);
    await screenshot(page, "dashboard-cross", true);
    expect(problems).toEqual([]);
  });
});
