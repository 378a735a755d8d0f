/**
 * Runs a suite once per store backend (SQLite, PostgreSQL): each test gets an empty store in a
 * fresh data directory; a backend that cannot run here is one skipped test naming the reason.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, it } from "vitest";
import { openStore, type Store, type StoreTarget } from "../store/database.js";
import { type StoreBackend, stopSharedPostgres, storeBackends } from "../testing/backends.js";

export interface StoreFixture {
  readonly backend: StoreBackend;
  /** This test's data directory. */
  dir(): string;
  /** Where this test's store lives (to open it again: a restart, a second server). */
  target(): StoreTarget;
  /** This test's store, open; tests may replace it after closing it (`reopen`). */
  store(): Store;
  /** Closes the store (if open) and opens the same one again. */
  reopen(): Promise<Store>;
}

/** `describe(title on <backend>)` for each backend, with a fresh store per test. */
export function describeEachStore(title: string, body: (fixture: StoreFixture) => void): void {
  afterAll(stopSharedPostgres);
  describe.each(storeBackends())(`${title} on $name`, (backend) => {
    if (backend.skip !== null) {
      it.skip(`skipped: ${backend.skip}`, () => undefined);
      return;
    }
    let dir = "";
    let target: StoreTarget = { dataDir: "" };
    let store: Store | null = null;
    let open = false;
    const openIt = async () => {
      store = await openStore(target);
      open = true;
      const opened = store;
      const close = opened.close.bind(opened);
      // closing twice (a test that closes, then afterEach) is harmless
      return Object.assign(opened, {
        close: async () => {
          if (store === opened && open) {
            open = false;
            await close();
          }
        },
      });
    };
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), `lacuna-${backend.name}-`));
      target = await backend.target(dir);
      await openIt();
    });
    afterEach(async () => {
      await store?.close();
      store = null;
      await rm(dir, { recursive: true, force: true });
    });
    body({
      backend,
      dir: () => dir,
      target: () => target,
      store: () => store!,
      reopen: async () => {
        await store?.close();
        return openIt();
      },
    });
  });
}
