import type { Command } from "commander";
import { defaultDataDir } from "@lacuna/io";
import { addBlobStoreOption } from "./cluster-option.js";
import { integerOption } from "./options.js";

interface WorkerFlags {
  redis: string;
  threads?: number;
  dataDir?: string;
  lockDuration: number;
  blobStore?: string;
}

/**
 * `lacuna worker --redis URL`: a long-running process computing the radii blocks that
 * `coverage --redis` and `serve --redis` queue. SIGTERM (or SIGINT) finishes the running block,
 * then exits; a second signal exits at once and the block returns to the queue when its lock lapses.
 */
export function registerWorkerCommand(program: Command): void {
  const command = program
    .command("worker")
    .description("compute radii blocks for coverage and serve runs on the same Redis")
    .requiredOption(
      "--redis <url>",
      "the Redis the coordinators queue blocks on (redis://HOST:PORT)",
    )
    .option(
      "--threads <n>",
      "worker threads (default: LACUNA_THREADS, else every core)",
      integerOption(1),
    )
    .option(
      "--data-dir <dir>",
      "where the coordinators' data blobs are, or S3's are cached (default: LACUNA_DATA_DIR, else ~/.cache/lacuna)",
    )
    .option(
      "--lock-duration <ms>",
      "a block's lock: a dead worker's block is redone this long after it died",
      integerOption(1000),
      30_000,
    );
  addBlobStoreOption(command).action(async (flags: WorkerFlags) => {
    const { startClusterWorker } = await import("@lacuna/cluster");
    const worker = await startClusterWorker({
      url: flags.redis,
      dataDir: flags.dataDir ?? defaultDataDir(),
      blobStore: flags.blobStore,
      threads: flags.threads,
      lockDuration: flags.lockDuration,
      log: (line) => process.stderr.write(`lacuna worker: ${line}\n`),
    });
    process.stdout.write(`lacuna worker ${worker.id} is taking blocks\n`);
    await new Promise<void>((resolve, reject) => {
      let signals = 0;
      const stop = () => {
        signals++;
        // the first signal finishes the block; a second abandons it to the queue
        worker.close(signals === 1).then(resolve, reject);
        if (signals > 1) resolve();
      };
      process.on("SIGTERM", stop).on("SIGINT", stop);
    });
  });
}
