/**
 * The dashboard as an explorer (issue 20), in Chromium against the real server: every flagged
 * sample reachable, the interactive scatter, a projection that fails. Run states, the form, the
 * detail and per class: dashboard-explorer-run.test.ts. One test per item of the issue.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Session,
  available,
  gridReady,
  openPage,
  scatterReady,
  screenshot,
  startSession,
  useSession,
  SEED_PCA,
} from "./dashboard-support.js";

describe.skipIf(!available)("the dashboard as an explorer", () => {
  const session = useSession();

  it("1, 4: pages through every flagged sample, rings all of them, orders naive by index and says so", async () => {
    const { page, problems } = await openPage(session);
    await page.goto(
      `${session.server.base}?dataset=mnist:test&limit=5000&k=10&percent=0.05&method=ADAPTIVE&projection=PCA`,
    );
    await gridReady(page, 180_000);
    expect(await page.locator("#grid-range").textContent()).toBe("showing 1-40 of 250");
    await scatterReady(page, 180_000);
    // the rings drawn, not only the flagged points in the data
    expect(await page.locator("#scatter").getAttribute("data-ringed")).toBe("250");
    expect(await page.locator("#scatter").getAttribute("data-flagged")).toBe("250");
    await page.locator("button[aria-label='next page']").click();
    await expect.poll(() => page.locator("#grid-range").textContent()).toBe("showing 41-80 of 250");
    expect(page.url()).toMatch(/page=2/);
    const ranks = await page.locator("#grid .caption small").allTextContents();
    expect(ranks[0]!.trim()).toBe("rank 41");
    await page.goBack();
    await expect.poll(() => page.locator("#grid-range").textContent()).toBe("showing 1-40 of 250");

    await page.locator("#f-method").selectOption("NAIVE");
    await expect
      .poll(() => page.locator("#summary").textContent(), { timeout: 120_000 })
      .toMatch(/naive/);
    await gridReady(page);
    expect(await page.locator("#f-percent").isDisabled()).toBe(true);
    await page.locator("#grid-order").selectOption("index");
    await expect
      .poll(() => page.locator("#grid-note").textContent())
      .toMatch(/the order naive coverage lists/);
    const captions = await page.locator("#grid .caption small").allTextContents();
    const indices = captions.map((c) => Number(/#(\d+)/.exec(c)![1]));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    const flagged = Number(
      /(\d+) of 5000 uncovered/.exec((await page.locator("#summary").textContent())!)![1],
    );
    await expect
      .poll(() => page.locator("#scatter").getAttribute("data-ringed"))
      .toBe(String(flagged));
    expect(await page.locator("#grid-range").textContent()).toMatch(new RegExp(`of ${flagged}$`));
    expect(problems).toEqual([]);
  });

  it("1: a run over 10 000 samples: PCA projects every one, every flagged one ringed, done with its scatter", async () => {
    const { page, problems } = await openPage(session);
    await page.goto(
      `${session.server.base}?dataset=mnist:train&limit=12000&k=20&percent=0.01&method=ADAPTIVE&projection=PCA`,
    );
    await gridReady(page, 240_000);
    expect(await page.locator("#grid-range").textContent()).toBe("showing 1-40 of 120");
    await scatterReady(page, 240_000);
    const scatter = page.locator("#scatter");
    expect(await scatter.getAttribute("data-points")).toBe("12000");
    expect(await scatter.getAttribute("data-ringed")).toBe("120");
    await expect.poll(() => page.locator("#phase").textContent(), { timeout: 60_000 }).toBe("done");
    expect(await page.locator("#projection-panel").getAttribute("data-state")).toBe("ready");
    expect(await page.locator("#projection-note").textContent()).toBe("");
    await screenshot(page, "dashboard-12000");
    expect(problems).toEqual([]);
  });

  it("3: hover previews, click opens, wheel and keys zoom, arrows and drag pan, colour by radius and flagged, shift-drag selects and filters, resize redraws", async () => {
    // tall enough for the whole plot: the mouse reaches only what is in the viewport
    const { page, problems } = await openPage(session, { width: 1280, height: 1200 });
    await page.goto(`${session.server.base}${SEED_PCA}`);
    await scatterReady(page);
    const canvas = page.locator("#scatter");
    await canvas.scrollIntoViewIfNeeded();
    // the drawing area: inside the canvas's 1 px border, where the page measures points from
    const area = async () => {
      const b = (await canvas.boundingBox())!;
      return { x: b.x + 1, y: b.y + 1, width: b.width - 2, height: b.height - 2 };
    };
    const ratio = await page.evaluate(() => devicePixelRatio);
    const cssWidth = () => canvas.evaluate((c) => c.clientWidth);
    expect(Number(await canvas.getAttribute("width"))).toBe(Math.round((await cssWidth()) * ratio));

    // keyboard: focus, step to the first flagged sample, its preview, Enter opens it
    await canvas.focus();
    await page.keyboard.press("n");
    const tip = page.locator("#scatter-tip");
    await tip.waitFor({ state: "visible" });
    await expect.poll(() => tip.locator("img").getAttribute("src")).toMatch(/^data:image\/png/);
    const tipIndex = await tip.getAttribute("data-index");
    const firstTile = await page.locator("#grid .tile").first().getAttribute("data-index");
    expect(tipIndex).toBe(firstTile);
    await page.keyboard.press("Enter");
    await page.getByRole("dialog", { name: new RegExp(`Sample ${tipIndex}`) }).waitFor();
    expect(page.url()).toMatch(new RegExp(`sample=${tipIndex}`));
    await page.keyboard.press("Escape");
    await expect.poll(() => page.url()).not.toMatch(/sample=/);

    // the pointer: hover a flagged point (the keyboard's next one, where its tip says it is), click it
    await canvas.focus();
    await page.keyboard.press("n");
    await tip.waitFor({ state: "visible" });
    const pointed = await tip.getAttribute("data-index");
    let box = await area();
    const px = box.x + Number(await tip.getAttribute("data-x"));
    const py = box.y + Number(await tip.getAttribute("data-y"));
    await page.mouse.move(box.x + box.width - 2, box.y + 2);
    await page.mouse.move(px, py);
    await expect.poll(() => tip.getAttribute("data-index")).toBe(pointed);
    await expect.poll(() => tip.locator("img").getAttribute("src")).toMatch(/^data:image\/png/);
    await page.mouse.click(px, py);
    await page.getByRole("dialog", { name: new RegExp(`Sample ${pointed},`) }).waitFor();
    await page.locator("#detail-close").click();

    // zoom: the wheel about the pointer, + from the keyboard, 0 resets
    box = await area();
    const scale = Number(await canvas.getAttribute("data-scale"));
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await expect
      .poll(async () => Number(await canvas.getAttribute("data-scale")))
      .toBeGreaterThan(scale * 1.5);
    await canvas.focus();
    await page.keyboard.press("0");
    await expect
      .poll(async () => Number(await canvas.getAttribute("data-scale")))
      .toBeCloseTo(scale, 6);

    // pan: an arrow key moves the view's origin, a drag by as far as the pointer went
    const offset = async () => (await canvas.getAttribute("data-offset"))!.split(",").map(Number);
    const [ox, oy] = await offset();
    await page.keyboard.press("ArrowLeft");
    await expect.poll(async () => (await offset())[0]!).toBeGreaterThan(ox! + 10);
    const [kx, ky] = await offset();
    expect(ky).toBeCloseTo(oy!, 1);
    box = await area();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => Math.abs((await offset())[0]! - kx! - 60)).toBeLessThan(1.5);
    expect(Math.abs((await offset())[1]! - ky! - 40)).toBeLessThan(1.5);
    expect(page.url()).not.toMatch(/sample=/);
    await canvas.focus();
    await page.keyboard.press("0");
    await expect.poll(async () => (await offset())[0]).toBeCloseTo(ox!, 1);

    // colour by radius, then flagged: the legend, the URL and the first flagged point's own pixel
    await page.keyboard.press("n");
    const [fx, fy] = [
      Number(await tip.getAttribute("data-x")),
      Number(await tip.getAttribute("data-y")),
    ];
    const pixel = () =>
      canvas.evaluate(
        (c: HTMLCanvasElement, [x, y]: number[]) => {
          const r = devicePixelRatio;
          const data = c
            .getContext("2d")!
            .getImageData(Math.round(x! * r), Math.round(y! * r), 1, 1).data;
          return [data[0]!, data[1]!, data[2]!];
        },
        [fx, fy],
      );
    const byLabel = await pixel();
    await page.locator("#colour-by").selectOption("radius");
    await expect.poll(() => page.url()).toMatch(/colour=radius/);
    expect(await page.locator("#projection-panel .legend .ramp-scale").textContent()).toMatch(
      /^radius /,
    );
    // the largest radius is the top of the viridis ramp: yellow, far more green than blue
    await expect
      .poll(async () => {
        const [, g, b] = await pixel();
        return g! - b!;
      })
      .toBeGreaterThan(80);
    await page.locator("#colour-by").selectOption("flagged");
    await expect.poll(() => page.url()).toMatch(/colour=flagged/);
    expect(await page.locator("#projection-panel .legend").textContent()).toMatch(
      /flagged.*covered/,
    );
    // flagged is red: far more red than green
    await expect
      .poll(async () => {
        const [r, g] = await pixel();
        return r! - g!;
      })
      .toBeGreaterThan(60);
    expect(await pixel()).not.toEqual(byLabel);
    await page.locator("#colour-by").selectOption("label");
    await expect.poll(() => page.url()).not.toMatch(/colour=/);
    await expect.poll(pixel).toEqual(byLabel);

    // a shift-drag box over the left half selects: the grid and per-class count only what is in it
    box = await area();
    await page.keyboard.down("Shift");
    await page.mouse.move(box.x + 2, box.y + 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 2, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up("Shift");
    await expect
      .poll(() => page.locator("#grid-note").textContent())
      .toMatch(/in the selection \(\d+ of 20 flagged\)/);
    expect(page.url()).toMatch(/box=/);
    const inBox = Number(
      /\((\d+) of 20 flagged\)/.exec((await page.locator("#grid-note").textContent())!)![1],
    );
    expect(inBox).toBeLessThan(20);
    expect(await page.locator("#grid .tile").count()).toBe(inBox);
    expect(await page.locator("#per-class caption").textContent()).toMatch(/in the selection/);
    const perClassFlagged = await page
      .locator("#per-class tbody td:nth-child(3)")
      .allTextContents();
    expect(perClassFlagged.map(Number).reduce((a, b) => a + b, 0)).toBe(inBox);
    await screenshot(page, "dashboard-selection");
    await canvas.focus();
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("#grid .tile").count()).toBe(20);

    // resize: the bitmap follows the new size at the device's pixel ratio
    const before = await cssWidth();
    await page.setViewportSize({ width: 500, height: 800 });
    await expect.poll(cssWidth).toBeLessThan(before);
    await expect
      .poll(async () => Number(await canvas.getAttribute("width")))
      .toBe(Math.round((await cssWidth()) * ratio));
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!available)("the dashboard when a projection fails", () => {
  let limited: Session;
  beforeAll(async () => {
    limited = await startSession({ LACUNA_MAX_PROJECTION_SAMPLES: "500" });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it("1, 5: shows the reason on the scatter, never done, the coverage results still shown", async () => {
    const { page } = await openPage(limited);
    await page.goto(`${limited.server.base}?dataset=mnist:test&limit=600&k=10&projection=TSNE`);
    await gridReady(page);
    const note = page.locator("#projection-note");
    await expect
      .poll(() => note.textContent(), { timeout: 60_000 })
      .toMatch(/^projection failed: .*at most 500 samples to project with t-SNE or UMAP/);
    expect(await note.getAttribute("role")).toBe("alert");
    expect(await page.locator("#projection-panel").getAttribute("data-state")).toBe("error");
    // the reason is not dimmed like a stale picture
    expect(await page.locator("#projection-panel").getAttribute("class")).not.toMatch(/stale/);
    expect(await page.locator("#scatter").getAttribute("data-points")).toBeNull();
    await expect.poll(() => page.locator("#phase").textContent()).toMatch(/the projection failed/);
    expect(await page.locator("#status-panel").getAttribute("data-state")).toBe("failed");
    expect(await page.locator("#grid-range").textContent()).toBe("showing 1-6 of 6");
    await screenshot(page, "dashboard-projection-failed");
  });
});
