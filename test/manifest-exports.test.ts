/** The pack hook's manifest rule (scripts/manifest-exports.mjs): only test entry points may go. */
import { describe, expect, it } from "vitest";
import { publishedManifest } from "../scripts/manifest-exports.mjs";

const manifest = {
  name: "@lacuna/example",
  main: "./dist/index.js",
  exports: {
    ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
    "./testing": { types: "./dist/testing.d.ts", default: "./dist/testing.js" },
  },
};
const built = ["package.json", "dist/index.js", "dist/index.d.ts"];

describe("the published manifest", () => {
  it("leaves out the ./testing entry point the package does not ship, and keeps the rest", () => {
    const { manifest: published, dropped } = publishedManifest(manifest, built);
    expect(dropped).toEqual(["./testing"]);
    expect(published.exports).toEqual({ ".": manifest.exports["."] });
    expect(published.main).toBe("./dist/index.js");
  });

  it("refuses an unbuilt package rather than publishing it without its entry points", () => {
    expect(() => publishedManifest(manifest, ["package.json"])).toThrow(/exports\["\."\]/);
    const mainOnly = { name: "@lacuna/example", main: "./dist/index.js" };
    expect(() => publishedManifest(mainOnly, ["package.json"])).toThrow(/main/);
  });
});
