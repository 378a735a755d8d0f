import type { Command } from "commander";
import { addRedisOption, type RedisFlags, redisUrlOf } from "./cluster-option.js";
import { integerOption } from "./options.js";

interface ServeFlags extends RedisFlags {
  port?: number;
  host?: string;
  dataDir?: string;
  threads?: number;
}

export function registerServeCommand(program: Command): void {
  const command = program
    .command("serve")
    .description("serve GraphQL at http://localhost:4000/graphql and the dashboard at /")
    .option("--port <n>", "port (default: PORT, else 4000; 0 picks a free one)", integerOption(0))
    .option("--host <host>", "interface to listen on (default: HOST, else localhost)")
    .option(
      "--data-dir <dir>",
      "database and embedding cache (default: LACUNA_DATA_DIR, else ~/.cache/lacuna)",
    )
    .option(
      "--threads <n>",
      "worker threads (default: LACUNA_THREADS, else every core)",
      integerOption(1),
    );
  addRedisOption(command, "compute coverage radii on the `lacuna worker` processes of this Redis");
  command.action(async (flags: ServeFlags) => {
    // the server (Apollo, Express, SQLite) loads only for this command: the others start faster
    const { loadConfig, startServer } = await import("@lacuna/server");
    const config = loadConfig(process.env, {
      port: flags.port,
      host: flags.host,
      dataDir: flags.dataDir,
      threads: flags.threads,
    });
    const redis = redisUrlOf(flags);
    // the cluster loads only with a Redis; its blobs sit under the server's data directory, or in S3
    const cluster = redis
      ? await (
          await import("@lacuna/cluster")
        ).ClusterRadii.connect(redis, { dataDir: config.dataDir, blobStore: flags.blobStore })
      : undefined;
    const server = await startServer(config, undefined, { radii: cluster });
    // the dashboard's address is the last line, where a person starting `npm start` looks
    process.stdout.write(
      `Lacuna is serving GraphQL at ${server.url} (subscriptions: ${server.url.replace(/^http/, "ws")})\n` +
        `Dashboard: ${server.url.replace(/graphql$/, "")}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        server.logger.info({ signal }, "shutting down");
        process.off("SIGINT", onInt).off("SIGTERM", onTerm);
        void server
          .close()
          .then(() => cluster?.close())
          .then(resolve, (error: unknown) => {
            server.logger.error({ err: error }, "shutdown failed");
            process.exitCode = 1;
            resolve();
          });
      };
      const onInt = () => stop("SIGINT");
      const onTerm = () => stop("SIGTERM");
      process.on("SIGINT", onInt).on("SIGTERM", onTerm);
    });
  });
}
