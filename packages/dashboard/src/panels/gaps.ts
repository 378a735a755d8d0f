import type { CoverageInput, GapRegion, LacunaClient } from "@lacuna/client";
import { h } from "../dom.js";

/** Links to the server's downloads of a finished result (CSV, JSON Lines, Label Studio). */
export function downloadLinks(
  client: LacunaClient,
  kind: "coverage" | "cross" | "collect",
  id: string,
  region?: number,
): HTMLElement {
  const formats = [
    ["csv", "CSV"],
    ["jsonl", "JSON Lines"],
    ["label-studio", "Label Studio"],
  ] as const;
  return h(
    "span",
    { class: "downloads" },
    "download ",
    formats.flatMap(([format, name], i) => [
      i > 0 ? " · " : "",
      h("a", { href: client.exportUrl(kind, id, { format, region }), download: "" }, name),
    ]),
  );
}

/**
 * The flagged samples grouped into gap regions (issue 17): each region's size, deficit, class
 * mix and typical image (its medoid), largest deficit first, with downloads of all flagged samples
 * and of each region; `onRegions` hears each result's regions (and [] while they load), which the
 * page outlines on the projection.
 */
export class GapsPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly note: HTMLElement;
  private loaded: string | null = null;

  constructor(
    private readonly client: LacunaClient,
    private readonly onRegions: (regions: readonly GapRegion[]) => void = () => undefined,
  ) {
    this.note = h("p", { id: "gaps-note", class: "note" }, "Run coverage to see its gap regions.");
    this.list = h("ol", { id: "gaps-list", class: "gaps" });
    this.element = h(
      "section",
      { class: "panel", id: "gaps", "aria-labelledby": "gaps-title" },
      h("h2", { id: "gaps-title" }, "Gap regions"),
      h(
        "p",
        { class: "help" },
        "Flagged samples within twice the coverage radius of each other form a region: one new image there could help all of them. Deficit: how many neighbours within the coverage radius its samples lack.",
      ),
      this.note,
      this.list,
    );
  }

  /** Loads the regions of a result (once per result id); `current` says whether it is still shown. */
  async load(id: string, input: CoverageInput, current: () => boolean): Promise<void> {
    if (this.loaded === id) return;
    this.loaded = id;
    this.note.textContent = "grouping the flagged samples…";
    this.list.replaceChildren();
    this.onRegions([]);
    let regions: GapRegion[];
    try {
      regions = await this.client.gapRegions(input, { images: true, imageScale: 2 });
    } catch (error) {
      if (current()) {
        this.loaded = null;
        this.note.textContent = `gap regions failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      return;
    }
    if (!current()) return;
    this.onRegions(regions);
    this.note.replaceChildren(
      `${regions.length} region${regions.length === 1 ? "" : "s"}, `,
      downloadLinks(this.client, "coverage", id),
    );
    this.list.replaceChildren(
      ...regions.map((r) =>
        h(
          "li",
          { class: "gap-region", "data-region": r.id, "data-size": r.size },
          r.medoidSample.image
            ? h("img", {
                src: r.medoidSample.image,
                alt: `typical image of region ${r.id}: #${r.medoid}`,
                width: 56,
                height: 56,
              })
            : null,
          h(
            "span",
            {},
            h("b", {}, `${r.size} sample${r.size === 1 ? "" : "s"}`),
            `, deficit ${r.deficit}; `,
            r.classMix.map((c) => `${c.labelName} ×${c.count}`).join(", ") || "unlabelled",
            " ",
            downloadLinks(this.client, "coverage", id, r.id),
          ),
        ),
      ),
    );
  }
}
