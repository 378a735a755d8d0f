import type { ApolloServer } from "@apollo/server";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { type ServerConfig, loadConfig } from "../config.js";
import { createApollo } from "../graphql/apollo.js";
import type { LacunaContext } from "../graphql/context.js";
import { type Lacuna, VERSION, createLacuna } from "../server.js";

/** An in-process Lacuna (services + Apollo, no HTTP) on a fresh data directory, for resolver tests. */
export interface Harness {
  readonly lacuna: Lacuna;
  readonly apollo: ApolloServer<LacunaContext>;
  readonly config: ServerConfig;
  readonly dataDir: string;
  /** Runs an operation; `authorized` false plays a request without the API key. */
  run<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    authorized?: boolean,
  ): Promise<{
    data?: T | null;
    errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  }>;
  close(): Promise<void>;
}

/**
 * @param env extra environment (LACUNA_API_KEY, LACUNA_DATA_ROOTS, ...)
 * @param reuse a data directory to open again (a restart); it is then left in place on close
 */
export async function createHarness(
  env: Record<string, string> = {},
  reuse?: string,
  poolOptions: Parameters<typeof createLacuna>[2] = {},
): Promise<Harness> {
  const dataDir = reuse ?? (await mkdtemp(join(tmpdir(), "lacuna-graphql-")));
  const config = loadConfig({ LACUNA_DATA_DIR: dataDir, LACUNA_THREADS: "2", ...env });
  const lacuna = await createLacuna(config, undefined, poolOptions);
  const apollo = createApollo(config, pino({ level: "silent" }), VERSION);
  await apollo.start();
  return {
    lacuna,
    apollo,
    config,
    dataDir,
    async run(query, variables, authorized = true) {
      const response = await apollo.executeOperation(
        { query, variables },
        { contextValue: { services: lacuna.services, authorized } },
      );
      if (response.body.kind !== "single") throw new Error("unexpected incremental response");
      return response.body.singleResult as never;
    },
    async close() {
      await apollo.stop();
      await lacuna.close();
      if (!reuse) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
