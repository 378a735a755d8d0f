import type { Dataset } from "@lacuna/client";
import { type Child, h } from "../dom.js";

/** Picked when listed: MNIST's test set is the usual second set beside the training set. */
const PREFERRED = "mnist:test";

/**
 * A second set for a panel that compares against the coverage on screen (the cross panel's
 * query, the collect panel's pool): a dataset and its first n samples.
 */
export class DatasetPicker {
  private readonly select: HTMLSelectElement;
  private readonly limit: HTMLInputElement;

  /** `id`: the select's id (the limit's is `${id}-limit`); `what` labels it; `first`: default n. */
  constructor(
    private readonly id: string,
    private readonly what: string,
    first: number,
  ) {
    this.select = h("select", { id });
    this.limit = h("input", { id: `${id}-limit`, type: "number", min: 1, value: first });
  }

  /** The labelled select and limit, for the panel's form row. */
  fields(): Child[] {
    return [
      h("label", { for: this.id }, `${this.what} `),
      this.select,
      h("label", { for: `${this.id}-limit` }, " first "),
      this.limit,
    ];
  }

  setDatasets(datasets: readonly Dataset[]): void {
    this.select.replaceChildren(
      ...datasets.map((d) => h("option", { value: d.id }, d.name ?? d.id)),
    );
    if (datasets.some((d) => d.id === PREFERRED)) this.select.value = PREFERRED;
  }

  /** The chosen set as the API takes it: a dataset and a selection of its first n. */
  value(): { datasetId: string; selection: { limit: number } } {
    return { datasetId: this.select.value, selection: { limit: Number(this.limit.value) } };
  }
}
