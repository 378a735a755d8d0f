/** What a key does on the focused scatter. */
export type KeyAction =
  | { readonly kind: "pan"; readonly dx: number; readonly dy: number }
  | { readonly kind: "zoom"; readonly factor: number }
  | { readonly kind: "reset" }
  | { readonly kind: "step"; readonly direction: 1 | -1 }
  | { readonly kind: "open" }
  | { readonly kind: "clear" };

/** CSS pixels an arrow key moves the picture. */
export const PAN_STEP = 40;

/**
 * The scatter's keys: arrows pan (the picture moves the other way, as the view moves the arrow's
 * way), + or = and - zoom, 0 resets, n and p step through the flagged samples, Enter opens the one
 * in focus, Escape clears the selection. Null for any other key (left to the browser).
 */
export function keyAction(key: string): KeyAction | null {
  switch (key) {
    case "ArrowLeft":
      return { kind: "pan", dx: PAN_STEP, dy: 0 };
    case "ArrowRight":
      return { kind: "pan", dx: -PAN_STEP, dy: 0 };
    case "ArrowUp":
      return { kind: "pan", dx: 0, dy: PAN_STEP };
    case "ArrowDown":
      return { kind: "pan", dx: 0, dy: -PAN_STEP };
    case "+":
    case "=":
      return { kind: "zoom", factor: 1.5 };
    case "-":
      return { kind: "zoom", factor: 1 / 1.5 };
    case "0":
      return { kind: "reset" };
    case "n":
      return { kind: "step", direction: 1 };
    case "p":
      return { kind: "step", direction: -1 };
    case "Enter":
      return { kind: "open" };
    case "Escape":
      return { kind: "clear" };
    default:
      return null;
  }
}

/**
 * The next position when stepping through `length` items from `at` (-1: none yet): forwards from
 * none is the first, backwards from none the last, and both ends wrap around.
 */
export function stepPosition(at: number, direction: 1 | -1, length: number): number {
  if (at < 0) return direction > 0 ? 0 : length - 1;
  return (at + direction + length) % length;
}
