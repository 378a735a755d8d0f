import Database from "better-sqlite3";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLacunaError } from "@lacuna/core";
import { sharedPostgres, stopSharedPostgres, storeBackends } from "../testing/backends.js";
import { openStore, type StoreTarget } from "./database.js";
import { MIGRATION_COUNT } from "./migrations.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lacuna-db-"));
});
afterAll(async () => {
  await stopSharedPostgres();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(target: StoreTarget): Promise<unknown> {
  try {
    await (await openStore(target)).close();
  } catch (error) {
    return error;
  }
  return null;
}

describe("openStore on SQLite", () => {
  it("refuses a garbage lacuna.sqlite with a coded error naming the file", async () => {
    const garbage = join(dir, "garbage");
    await mkdir(garbage, { recursive: true });
    await writeFile(
      join(garbage, "lacuna.sqlite"),
      "this is not a database, not at all ".repeat(64),
    );
    const error = await refusal({ dataDir: garbage });
    expect(isLacunaError(error) && error.code).toBe("DATABASE_UNUSABLE");
    expect((error as Error).message).toMatch(/lacuna\.sqlite: not a usable SQLite database/);
  });

  it("refuses a database from a newer schema with a coded error", async () => {
    const newer = join(dir, "newer");
    await (await openStore({ dataDir: newer })).close();
    const raw = new Database(join(newer, "lacuna.sqlite"));
    raw.pragma("user_version = 99");
    raw.close();
    const error = await refusal({ dataDir: newer });
    expect(isLacunaError(error) && error.code).toBe("DATABASE_UNUSABLE");
    expect((error as Error).message).toMatch(/newer Lacuna \(schema 99/);
  });

  it("refuses a data directory under /proc at once (no endless mkdir)", async () => {
    const error = await refusal({ dataDir: "/proc/lacuna-x/data" });
    expect(isLacunaError(error) && error.code).toBe("DATA_DIR_UNUSABLE");
  });

  it("opens a database written by the schema before the Migrator (user_version 2) and keeps its rows", async () => {
    const legacy = join(dir, "legacy");
    await mkdir(legacy, { recursive: true });
    const raw = new Database(join(legacy, "lacuna.sqlite"));
    // the schema exactly as Lacuna's user_version 2 left it
    raw.exec(`CREATE TABLE datasets (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
        spec TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE jobs (id TEXT PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL,
        input TEXT NOT NULL, status TEXT NOT NULL, phase TEXT, progress REAL NOT NULL DEFAULT 0,
        error_code TEXT, error_message TEXT, result_key TEXT, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL);
      CREATE INDEX jobs_by_key ON jobs (key);
      CREATE INDEX jobs_by_status ON jobs (status);
      CREATE TABLE coverage_results (key TEXT PRIMARY KEY, input TEXT NOT NULL,
        summary TEXT NOT NULL, indices BLOB NOT NULL, radii BLOB NOT NULL, uncovered BLOB NOT NULL,
        labels BLOB, created_at TEXT NOT NULL);
      CREATE INDEX jobs_by_created ON jobs (created_at, id);
      CREATE INDEX coverage_results_by_created ON coverage_results (created_at, key);
      INSERT INTO jobs VALUES ('j1', 'k', 'coverage', '{}', 'RUNNING', 'neighbours', 0.5, NULL,
        NULL, NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');`);
    raw.pragma("user_version = 2");
    raw.close();
    const store = await openStore({ dataDir: legacy });
    try {
      const row = await store.db
        .selectFrom("jobs")
        .selectAll()
        .where("id", "=", "j1")
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        status: "RUNNING",
        progress: 0.5,
        owner: null,
        lease_until: null,
      });
    } finally {
      await store.close();
    }
    const again = new Database(join(legacy, "lacuna.sqlite"));
    expect(again.pragma("user_version", { simple: true })).toBe(MIGRATION_COUNT);
    again.close();
  });
});

describe.each(storeBackends())("openStore on $name", (backend) => {
  it.skipIf(backend.skip !== null)(
    `migrates once: opening again changes nothing ${backend.skip ?? ""}`,
    async () => {
      const target = await backend.target(join(dir, `twice-${backend.name}`));
      // servers starting together on PostgreSQL: the Migrator's advisory lock lets one migrate
      // (SQLite has one server per file, which opens it alone)
      const [a, b] =
        backend.name === "postgres"
          ? await Promise.all([openStore(target), openStore(target)])
          : [await openStore(target), await openStore(target)];
      await b.close();
      const applied = await a.db
        .selectFrom(sql<{ name: string }>`kysely_migration`.as("m"))
        .select("name")
        .execute();
      await a.close();
      const c = await openStore(target);
      await c.db
        .insertInto("datasets")
        .values({ id: "x", name: "x", kind: "EMBEDDINGS", spec: "{}", created_at: "t" })
        .execute();
      await c.close();
      expect(applied).toHaveLength(MIGRATION_COUNT);
    },
  );
});

describe.skipIf(storeBackends()[1]!.skip !== null)("openStore on PostgreSQL", () => {
  it("refuses an unreachable server quickly with a coded error that hides the password", async () => {
    const started = Date.now();
    // a port nobody listens on: the connection is refused at once
    const error = await refusal({
      dataDir: dir,
      databaseUrl: "postgres://lacuna:s3cret@127.0.0.1:1/lacuna",
    });
    expect(isLacunaError(error) && error.code).toBe("DATABASE_UNUSABLE");
    expect((error as Error).message).toMatch(/cannot connect/);
    expect((error as Error).message).not.toMatch(/s3cret/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("refuses a database that a newer Lacuna migrated", async () => {
    const url = await (await sharedPostgres()).createDatabase();
    const store = await openStore({ dataDir: dir, databaseUrl: url });
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_future', 'now')`.execute(
      store.db,
    );
    await store.close();
    const error = await refusal({ dataDir: dir, databaseUrl: url });
    expect(isLacunaError(error) && error.code).toBe("DATABASE_UNUSABLE");
    expect((error as Error).message).toMatch(/newer Lacuna/);
  });
});
