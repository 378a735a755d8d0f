import { mustBe } from "@lacuna/core";
import { InvalidSelectionError } from "../errors.js";

/**
 * Which images to use, as DataEval's Select composes them: explicit `indices` (in the order given),
 * then only the images whose label is in `classes`, then the first `limit` of what is left.
 * Absent parts select everything.
 */
export interface Selection {
  readonly limit?: number;
  readonly indices?: readonly number[];
  readonly classes?: readonly number[];
}

/**
 * The dataset indices a selection picks, in order.
 * @throws InvalidSelectionError for a limit < 1, an index outside [0, size), a repeated index,
 *   an unknown class, or a selection that picks nothing
 */
export function applySelection(
  selection: Selection,
  labels: Int32Array,
  classCount: number,
): Int32Array {
  const size = labels.length;
  let picked: Int32Array;
  if (selection.indices) {
    picked = new Int32Array(selection.indices.length);
    const seen = new Uint8Array(size);
    selection.indices.forEach((index, position) => {
      if (!Number.isInteger(index) || index < 0 || index >= size) {
        throw new InvalidSelectionError(
          mustBe(`selection.indices[${position}]`, `an integer in [0, ${size - 1}]`, index),
        );
      }
      if (seen[index])
        throw new InvalidSelectionError(
          `selection.indices repeats index ${index} (at position ${position})`,
        );
      seen[index] = 1;
      picked[position] = index;
    });
  } else {
    picked = new Int32Array(size);
    for (let i = 0; i < size; i++) picked[i] = i;
  }
  if (selection.classes) {
    const wanted = new Uint8Array(classCount);
    for (const c of selection.classes) {
      if (!Number.isInteger(c) || c < 0 || c >= classCount) {
        throw new InvalidSelectionError(
          mustBe("selection.classes", `class indices in [0, ${classCount - 1}]`, c),
        );
      }
      wanted[c] = 1;
    }
    picked = picked.filter((i) => wanted[labels[i]!] === 1);
  }
  if (selection.limit !== undefined) {
    if (!Number.isInteger(selection.limit) || selection.limit < 1) {
      throw new InvalidSelectionError(
        mustBe("selection.limit", "an integer >= 1", selection.limit),
      );
    }
    picked = picked.subarray(0, selection.limit);
  }
  if (picked.length === 0) throw new InvalidSelectionError("the selection picks no images");
  return picked;
}
