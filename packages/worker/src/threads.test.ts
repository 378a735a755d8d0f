import { describe, expect, it } from "vitest";
import { PoolOptionError, resolveThreadCount } from "./threads.js";

describe("resolveThreadCount", () => {
  it("takes the option, then LACUNA_THREADS, then the core count", () => {
    expect(resolveThreadCount(3, { LACUNA_THREADS: "5" })).toBe(3);
    expect(resolveThreadCount(undefined, { LACUNA_THREADS: "5" })).toBe(5);
    expect(resolveThreadCount(undefined, {})).toBeGreaterThanOrEqual(1);
  });

  it("refuses what is not an integer from 1 to 256, saying what it got", () => {
    expect(() => resolveThreadCount(0)).toThrow(
      "threads must be an integer from 1 to 256; received 0",
    );
    expect(() => resolveThreadCount(1.5)).toThrow(PoolOptionError);
    expect(() => resolveThreadCount(undefined, { LACUNA_THREADS: "many" })).toThrow(
      'LACUNA_THREADS must be an integer from 1 to 256; received "many"',
    );
    expect(() => resolveThreadCount(undefined, { LACUNA_THREADS: "999" })).toThrow(PoolOptionError);
  });
});
