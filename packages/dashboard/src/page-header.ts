import { h } from "./dom.js";

/** The page's title, its link to the GraphiQL explorer and what Lacuna shows. */
export function pageHeader(): HTMLElement {
  return h(
    "header",
    {},
    h("h1", {}, "Lacuna"),
    h(
      "nav",
      { "aria-label": "other pages" },
      h("a", { href: "/graphiql.html" }, "GraphiQL explorer"),
    ),
    h(
      "p",
      {},
      "The undersampled parts of an image dataset: the samples whose k-th nearest neighbour is farthest away.",
    ),
  );
}
