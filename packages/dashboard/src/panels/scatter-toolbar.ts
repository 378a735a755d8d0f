import { h } from "../dom.js";
import { COLOUR_BY, type ColourBy } from "../url-state.js";
import { COLOUR_TEXT } from "./scatter-legend.js";

/** What the scatter's toolbar buttons do. */
export interface ToolbarActions {
  readonly colour: (colour: ColourBy) => void;
  readonly zoom: (factor: number) => void;
  readonly reset: () => void;
  readonly clear: () => void;
}

/**
 * The scatter's toolbar: colour by, the box tool (a toggle, aria-pressed), zoom in and out, reset,
 * clear the selection. Returns the bar and the two controls whose state the scatter reads.
 */
export function scatterToolbar(actions: ToolbarActions): {
  readonly element: HTMLElement;
  readonly colourSelect: HTMLSelectElement;
  readonly boxTool: HTMLButtonElement;
} {
  const colourSelect = h(
    "select",
    { id: "colour-by", "aria-label": "colour points by" },
    COLOUR_BY.map((c) => h("option", { value: c }, COLOUR_TEXT[c])),
  );
  colourSelect.addEventListener("change", () =>
    actions.colour(COLOUR_BY.find((v) => v === colourSelect.value) ?? "label"),
  );
  const boxTool = h(
    "button",
    { type: "button", "aria-pressed": "false", title: "drag to select a box (or shift-drag)" },
    "Box select",
  );
  boxTool.addEventListener("click", () =>
    boxTool.setAttribute("aria-pressed", String(boxTool.getAttribute("aria-pressed") !== "true")),
  );
  const button = (text: string, label: string, action: () => void) => {
    const b = h("button", { type: "button", "aria-label": label }, text);
    b.addEventListener("click", action);
    return b;
  };
  const element = h(
    "div",
    { class: "toolbar" },
    h("label", {}, "colour ", colourSelect),
    boxTool,
    button("+", "zoom in", () => actions.zoom(1.5)),
    button("−", "zoom out", () => actions.zoom(1 / 1.5)),
    button("Reset", "reset zoom", actions.reset),
    button("Clear", "clear the selection", actions.clear),
  );
  return { element, colourSelect, boxTool };
}
