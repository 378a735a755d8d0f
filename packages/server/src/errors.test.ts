import { describe, expect, it } from "vitest";
import { isMissingNativeBinary, NativeModuleMissingError } from "./errors.js";

describe("native addons without their binary", () => {
  it("recognises the bindings package's and Node's load failures, and nothing else", () => {
    // the message `bindings` throws when better-sqlite3's install script never ran
    const bindings = new Error(
      "Could not locate the bindings file. Tried:\n → /p/node_modules/better-sqlite3/build/better_sqlite3.node",
    );
    const dlopen = Object.assign(new Error("invalid ELF header"), { code: "ERR_DLOPEN_FAILED" });
    expect(isMissingNativeBinary(bindings)).toBe(true);
    expect(isMissingNativeBinary(dlopen)).toBe(true);
    const eacces = Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
    expect(isMissingNativeBinary(eacces)).toBe(false);
    expect(isMissingNativeBinary("Could not locate the bindings file")).toBe(false);
  });

  it("is an unavailable error that names the one step that fixes it", () => {
    const error = new NativeModuleMissingError("better-sqlite3", "it cannot start", new Error("x"));
    expect(error.kind).toBe("unavailable");
    expect(error.code).toBe("NATIVE_MODULE_MISSING");
    expect(error.message).toContain("npm approve-scripts better-sqlite3");
    expect(error.message).toContain("npm rebuild better-sqlite3");
  });
});
