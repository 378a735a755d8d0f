import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { registerCollectCommand } from "./collect-command.js";
import { registerCoverageCommand } from "./coverage-command.js";
import { registerEmbedCommand } from "./embed-command.js";
import { registerServeCommand } from "./serve-command.js";
import { registerDatasetsCommand } from "./datasets-command.js";
import { registerProjectCommand } from "./project-command.js";
import { registerWorkerCommand } from "./worker-command.js";
import { EXIT_BAD_INPUT, exitCodeOf } from "./exit-codes.js";
import { escapeTerminal, exitQuietlyOnClosedPipe } from "./terminal.js";

/** The CLI package's own version (src/ and dist/ both sit one level below package.json). */
const VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

async function main(argv: readonly string[]): Promise<number> {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  const program = new Command("lacuna")
    .description("Lacuna: find the undersampled regions of an image dataset by coverage analysis")
    .version(VERSION, "-v, --version", "print Lacuna's version")
    .exitOverride();
  registerCoverageCommand(program);
  registerCollectCommand(program);
  registerEmbedCommand(program);
  registerServeCommand(program);
  registerDatasetsCommand(program);
  registerProjectCommand(program);
  registerWorkerCommand(program);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv as string[], { from: "node" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed its one-line message (or the help)
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    const { code, expected } = exitCodeOf(error);
    if (expected) {
      process.stderr.write(`lacuna: ${escapeTerminal((error as Error).message)}\n`);
      return code;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`lacuna: internal error: ${escapeTerminal(message)}\n`);
    if (process.env.LACUNA_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    return code;
  }
}

process.exitCode = await main(process.argv);
