import type { CoverageResult } from "@lacuna/client";
import { formatNumber, h } from "./dom.js";

type Uncovered = CoverageResult["uncovered"][number];

/**
 * The least-covered images, largest radius first, each with its label and radius (the seed
 * tutorial's 4 x 5 grid for 20 images). Clicking one calls `onSelect`.
 */
export function renderGrid(
  container: HTMLElement,
  samples: readonly Uncovered[],
  onSelect: (sample: Uncovered) => void,
): void {
  container.replaceChildren(
    ...samples.map((sample, rank) => {
      const label = sample.labelName ?? (sample.label === null ? "?" : String(sample.label));
      const button = h(
        "button",
        {
          type: "button",
          class: "tile",
          "data-index": sample.index,
          title: `index ${sample.index}`,
        },
        sample.image
          ? h("img", {
              src: sample.image,
              alt: `image ${sample.index}, label ${label}`,
              width: 84,
              height: 84,
            })
          : h("span", { class: "no-image" }, "no image"),
        h(
          "span",
          { class: "caption" },
          h("b", {}, label),
          ` r=${sample.radius === null ? "-" : formatNumber(sample.radius, 3)}`,
          h("small", {}, ` #${rank + 1}`),
        ),
      );
      button.addEventListener("click", () => onSelect(sample));
      return button;
    }),
  );
}
