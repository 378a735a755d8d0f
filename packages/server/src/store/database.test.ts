import Database from "better-sqlite3";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLacunaError } from "@lacuna/core";
import { openDatabase } from "./database.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-db-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function refusal(dataDir: string): unknown {
  try {
    openDatabase(dataDir).close();
  } catch (error) {
    return error;
  }
  return null;
}

describe("openDatabase", () => {
  it("refuses a garbage lacuna.sqlite with a coded error naming the file", async () => {
    const garbage = join(dir, "garbage");
    await rm(garbage, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(garbage));
    await writeFile(
      join(garbage, "lacuna.sqlite"),
      "this is not a database, not at all ".repeat(64),
    );
    const error = refusal(garbage);
    expect(isLacunaError(error) && error.code).toBe("DATABASE_UNUSABLE");
    expect((error as Error).message).toMatch(/lacuna\.sqlite: not a usable SQLite database/);
  });

  it("refuses a database from a newer schema with a coded error", () => {
    const newer = join(dir, "newer");
    openDatabase(newer).close();
    const raw = new Database(join(newer, "lacuna.sqlite"));
    raw.pragma("user_version = 99");
    raw.close();
    const error = refusal(newer);
    expect(isLacunaError(error) && error.code).toBe("DATABASE_UNUSABLE");
    expect((error as Error).message).toMatch(/newer Lacuna \(schema 99/);
  });

  it("refuses a data directory under /proc at once (no endless mkdir)", () => {
    const error = refusal("/proc/lacuna-x/data");
    expect(isLacunaError(error) && error.code).toBe("DATA_DIR_UNUSABLE");
  });
});
