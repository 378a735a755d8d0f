import { InvalidArgumentError } from "commander";

/** Parses a whole number >= min, refusing "3.5", "1e3", "" and the like. */
export function integerOption(min: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()))
      throw new InvalidArgumentError(`must be an integer >= ${min}.`);
    const v = Number(value);
    if (!Number.isSafeInteger(v) || v < min)
      throw new InvalidArgumentError(`must be an integer >= ${min}.`);
    return v;
  };
}

/** Parses a number in (0, 1]. */
export function fractionOption(value: string): number {
  const v = Number(value);
  if (value.trim() === "" || !(v > 0 && v <= 1))
    throw new InvalidArgumentError("must be a number in (0, 1].");
  return v;
}

/** Parses a finite number >= 0. */
export function nonNegativeOption(value: string): number {
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v) || v < 0)
    throw new InvalidArgumentError("must be a finite number >= 0.");
  return v;
}

/** Parses "1,5,9" into whole numbers >= 0. */
export function integerListOption(value: string): number[] {
  const parts = value.split(",").map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p)))
    throw new InvalidArgumentError("must be comma-separated integers >= 0.");
  return parts.map(Number);
}

/** Parses a finite number > 0. */
export function positiveOption(value: string): number {
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v) || v <= 0)
    throw new InvalidArgumentError("must be a finite number > 0.");
  return v;
}
