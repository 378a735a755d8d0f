import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { pino, type Logger } from "pino";
import { KnnPool } from "@lacuna/worker";
import { embeddingCacheDir } from "@lacuna/io";
import type { ServerConfig } from "./config.js";
import { CoverageAnalysis } from "./coverage/analysis.js";
import { CoverageService, type RadiiSource } from "./coverage/service.js";
import { CollectService } from "./collect/service.js";
import { ResultFiles } from "./cross/result-files.js";
import { CrossCoverageService } from "./cross/service.js";
import { CoverageStore } from "./coverage/store.js";
import { DatasetService } from "./datasets/service.js";
import { EmbeddingService } from "./embeddings/service.js";
import { createApollo } from "./graphql/apollo.js";
import { executableSchema } from "./graphql/schema.js";
import type { Services } from "./graphql/context.js";
import { createApp } from "./http/app.js";
import { attachSubscriptions } from "./http/socket.js";
import { JobManager } from "./jobs/manager.js";
import { ProjectionService, projectionCacheDir } from "./projection/service.js";
import { openStore, type Store } from "./store/database.js";

export const VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

/** Lacuna's services over one store and one worker pool, without HTTP (tests use this). */
export interface Lacuna {
  readonly services: Services;
  readonly store: Store;
  readonly pool: KnnPool;
  /** Jobs a previous process left unfinished, now marked failed. */
  readonly recovered: number;
  close(): Promise<void>;
}

/**
 * Opens the store (SQLite, or PostgreSQL with `config.databaseUrl`) and builds the services.
 * @param poolOptions the pool's worker script (tests pass one that injects faults); `radii`: where
 *   coverage computes its radii instead of the pool (`lacuna serve --redis`: the cluster's workers)
 * @throws DatabaseError, DataDirError when the store cannot be opened
 */
export async function createLacuna(
  config: ServerConfig,
  logger?: Logger,
  poolOptions: { readonly workerFile?: string; readonly radii?: RadiiSource } = {},
): Promise<Lacuna> {
  const store = await openStore(config);
  const jobs = new JobManager(store, config.maxConcurrentJobs, {
    onStoreError: (error) => logger?.warn({ err: error }, "a job's state was not stored"),
  });
  let recovered: number;
  try {
    recovered = await jobs.recoverInterrupted();
  } catch (error) {
    await jobs.shutdown();
    await store.close();
    throw error;
  }
  const pool = new KnnPool({ threads: config.threads, workerFile: poolOptions.workerFile });
  const datasets = new DatasetService(store, {
    dataRoots: config.dataRoots,
    mnistRoot: config.mnistRoot,
  });
  const embeddings = new EmbeddingService(datasets, pool, {
    cacheDir: embeddingCacheDir(config.dataDir),
    modelsDir: config.modelsDir,
    // the cache only saves time: a failed write is logged and the request still succeeds
    onCacheWriteError: (error) => logger?.warn({ err: error }, error.message),
  });
  const coverage = new CoverageService(embeddings, pool, jobs, new CoverageStore(store), {
    radii: poolOptions.radii,
  });
  let closed: Promise<void> | undefined;
  return {
    services: {
      datasets,
      embeddings,
      coverage,
      analysis: new CoverageAnalysis(embeddings, pool),
      projections: new ProjectionService(embeddings, pool, jobs, {
        cacheDir: projectionCacheDir(config.dataDir),
        maxSamples: config.maxProjectionSamples,
        onCacheWriteError: (error) => logger?.warn({ err: error }, error.message),
      }),
      cross: new CrossCoverageService(
        embeddings,
        pool,
        jobs,
        new ResultFiles(join(config.dataDir, "cross"), (error) =>
          logger?.warn({ err: error }, error.message),
        ),
      ),
      collect: new CollectService(
        embeddings,
        pool,
        jobs,
        new ResultFiles(join(config.dataDir, "collect"), (error) =>
          logger?.warn({ err: error }, error.message),
        ),
      ),
      jobs,
      version: VERSION,
    },
    store,
    pool,
    recovered,
    close() {
      closed ??= (async () => {
        await jobs.shutdown();
        await pool.close();
        await store.close();
      })();
      return closed;
    },
  };
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly lacuna: Lacuna;
  readonly logger: Logger;
  /** Stops taking requests, cancels running jobs (marked CANCELLED), closes the pool and the database. */
  close(): Promise<void>;
}

/** Starts the HTTP server: GraphQL at /graphql, health at /health, the landing page at /. */
export async function startServer(
  config: ServerConfig,
  logger: Logger = pino({ level: config.logLevel }, pino.destination(2)),
  options: { readonly radii?: RadiiSource } = {},
): Promise<RunningServer> {
  const lacuna = await createLacuna(config, logger, options);
  if (lacuna.recovered > 0)
    logger.warn({ jobs: lacuna.recovered }, "marked jobs interrupted by the last stop as failed");
  const httpServer: Server = createServer();
  const schema = executableSchema(VERSION);
  // Apollo's documented pattern: the socket server closes as Apollo drains, before the HTTP server
  const sockets = attachSubscriptions(httpServer, schema, lacuna.services, config, logger);
  const apollo = createApollo(
    config,
    logger,
    VERSION,
    [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        serverWillStart: () => Promise.resolve({ drainServer: () => sockets.dispose() }),
      },
    ],
    schema,
  );
  try {
    await apollo.start();
    const app = createApp(
      config,
      apollo,
      lacuna.services,
      () => ({
        threads: lacuna.pool.threads,
        activeJobs: lacuna.services.jobs.activeCount,
        runningJobs: lacuna.services.jobs.runningCount,
        maxConcurrentJobs: config.maxConcurrentJobs,
        rssBytes: process.memoryUsage().rss,
      }),
      logger,
    );
    httpServer.on("request", app);
    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await sockets.dispose();
    await lacuna.close();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/graphql`;
  logger.info({ url, threads: lacuna.pool.threads, dataDir: config.dataDir }, "Lacuna is serving");
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    lacuna,
    logger,
    close() {
      closing ??= (async () => {
        // cancelling jobs first lets requests waiting on them answer, so the drain is quick
        await Promise.all([lacuna.services.jobs.shutdown(), apollo.stop()]);
        await lacuna.close();
        logger.info("Lacuna stopped");
      })();
      return closing;
    },
  };
}
