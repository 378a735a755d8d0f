/**
 * The dashboard's list of past results (issue 19) in Chromium against the real server: it lists
 * what the server keeps, newest first, and opening one shows that result's view with its
 * settings, read from the store rather than computed again.
 */
import { LacunaClient } from "@lacuna/client";
import { describe, expect, it } from "vitest";
import { available, gridReady, openPage, screenshot, useSession } from "./dashboard-support.js";

const VIEW = "?dataset=mnist:train&limit=600&k=10&percent=0.02&method=ADAPTIVE&projection=PCA";

describe.skipIf(!available)("the dashboard's past results", () => {
  const session = useSession();

  it("lists the stored results and reopens one with its settings", async () => {
    const client = new LacunaClient({ url: session.server.url });
    // an earlier result, computed elsewhere (a script, another tab)
    const earlier = await client.coverage({
      datasetId: "mnist:test",
      selection: { limit: 400 },
      numObservations: 7,
      percent: 0.05,
      method: "ADAPTIVE",
    });
    const { page, problems } = await openPage(session);
    await page.goto(`${session.server.base}${VIEW}`);
    await gridReady(page, 180_000);
    const stored = (await client.coverageResults({ first: 20 })).edges.map((e) => e.node.id);
    expect(stored).toHaveLength(2);
    expect(stored[1]).toBe(earlier.id);
    // the page's own run is listed too, once it is stored: newest first
    await expect
      .poll(
        () =>
          page
            .locator("#past-list .past-result")
            .evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.id)),
        { timeout: 60_000 },
      )
      .toEqual(stored);
    await page.locator(`#past-list [data-id="${earlier.id}"] .past-open`).click();
    await expect.poll(() => page.url()).toContain("dataset=mnist%3Atest");
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      limit: "400",
      k: "7",
      percent: "0.05",
      method: "ADAPTIVE",
      projection: "PCA",
    });
    await expect
      .poll(() => page.locator("#summary").textContent(), { timeout: 120_000 })
      .toContain(`${earlier.uncoveredCount} of 400 uncovered`);
    expect(await page.locator("#f-limit").inputValue()).toBe("400");
    expect(await page.locator("#f-k").inputValue()).toBe("7");
    // answered from the store: still the same two results, none computed again
    expect((await client.coverageResults({ first: 20 })).edges.map((e) => e.node.id)).toEqual(
      stored,
    );
    await screenshot(page, "dashboard-past", true);
    expect(problems).toEqual([]);
  });
});
