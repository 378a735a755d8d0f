import {
  CancelledError,
  InvalidParameterError,
  LacunaError,
  NotFoundError,
  ERROR_KINDS,
} from "@lacuna/core";
import {
  CacheWriteError,
  FileWriteError,
  InvalidFileError,
  InvalidSelectionError,
} from "@lacuna/io";
import { InvalidModelError, PoolOptionError, WorkerFailedError } from "@lacuna/worker";
import { describe, expect, it } from "vitest";
import { EXIT_CODE_OF_KIND, exitCodeOf } from "./exit-codes.js";

describe("exit codes", () => {
  it("maps every package's errors by kind, never by class", () => {
    const cases: [unknown, number][] = [
      [new InvalidParameterError("k", 0, "an integer >= 1"), 2],
      [new InvalidFileError("x.npy", "bad magic"), 2],
      [new FileWriteError("x.png", "permission denied"), 2],
      [new InvalidSelectionError("limit must be >= 1"), 2],
      [new CacheWriteError("/c", new Error("full")), 2],
      [new PoolOptionError("threads", 0, "an integer from 1 to 256"), 2],
      [new InvalidModelError("/m", "no model.json"), 2],
      [new NotFoundError("dataset", "cifar"), 2],
      [new CancelledError(), 130],
      [new WorkerFailedError("radii", new Error("boom")), 1],
      [new TypeError("a bug"), 1],
      [Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" }), 2],
    ];
    for (const [error, code] of cases) expect(exitCodeOf(error).code).toBe(code);
  });

  it("has an entry for every kind, and a new error class needs none", () => {
    expect(Object.keys(EXIT_CODE_OF_KIND).sort()).toEqual([...ERROR_KINDS].sort());
    class Novel extends LacunaError {
      constructor() {
        super("unavailable", "NOVEL", "a brand-new error");
      }
    }
    expect(exitCodeOf(new Novel())).toEqual({ code: 2, expected: true });
    // an error that only looks coded but has no kind is not Lacuna's
    expect(exitCodeOf(Object.assign(new Error("x"), { code: "INVALID_FILE" })).code).toBe(1);
  });
});
