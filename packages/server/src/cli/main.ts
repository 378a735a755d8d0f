import { Command, CommanderError } from "commander";
import { LacunaInputError } from "@lacuna/core";
import { PoolOptionError } from "@lacuna/worker";
import {
  FileNotFoundError,
  InvalidArgumentError,
  InvalidFileError,
  NotFoundError,
  PathOutsideRootsError,
  DataDirError,
} from "../errors.js";
import { CacheWriteError } from "../embeddings/cache.js";
import { registerCoverageCommand } from "./coverage-command.js";
import { registerEmbedCommand } from "./embed-command.js";
import { registerServeCommand } from "./serve-command.js";
import { registerDatasetsCommand } from "./datasets-command.js";
import { registerProjectCommand } from "./project-command.js";
import { ConfigError } from "../config.js";
import { InvalidSelectionError } from "../datasets/errors.js";
import { InvalidModelError } from "@lacuna/worker";

/** Exit codes: 0 success, 1 an internal failure (a bug), 2 bad input or usage. */
export const EXIT_BAD_INPUT = 2;

function isBadInput(error: unknown): error is Error {
  return (
    error instanceof LacunaInputError ||
    error instanceof InvalidFileError ||
    error instanceof FileNotFoundError ||
    error instanceof PoolOptionError ||
    error instanceof InvalidSelectionError ||
    error instanceof InvalidModelError ||
    error instanceof ConfigError ||
    error instanceof InvalidArgumentError ||
    error instanceof NotFoundError ||
    error instanceof PathOutsideRootsError ||
    error instanceof CacheWriteError ||
    (error as NodeJS.ErrnoException).code === "EADDRINUSE" ||
    error instanceof DataDirError
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("lacuna")
    .description("Lacuna: find the undersampled regions of an image dataset by coverage analysis")
    .exitOverride();
  registerCoverageCommand(program);
  registerEmbedCommand(program);
  registerServeCommand(program);
  registerDatasetsCommand(program);
  registerProjectCommand(program);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv as string[], { from: "node" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its one-line message (or the help)
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (isBadInput(error)) {
      process.stderr.write(`lacuna: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`lacuna: internal error: ${message}\n`);
    if (process.env.LACUNA_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
