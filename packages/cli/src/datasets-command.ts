import { statSync } from "node:fs";
import type { Command } from "commander";
import { escapeTerminal, widest } from "./terminal.js";

interface DatasetsFlags {
  dataDir?: string;
  json: boolean;
}

/** `lacuna datasets`: the built-in datasets and those registered in the data directory. */
export function registerDatasetsCommand(program: Command): void {
  program
    .command("datasets")
    .description("list the datasets: the built-in MNIST splits and the registered ones")
    .option(
      "--data-dir <dir>",
      "Lacuna's data directory (default: LACUNA_DATA_DIR, else ~/.cache/lacuna)",
    )
    .option("--json", "print them as JSON", false)
    .action(async (flags: DatasetsFlags) => {
      // the registry of registered datasets is the server's store: it loads only for this command
      const { DataDirError, DatasetService, datasetClasses, loadConfig, openStore } =
        await import("@lacuna/server");
      const config = loadConfig(process.env, { dataDir: flags.dataDir });
      if (flags.dataDir !== undefined) {
        // listing only reads: a mistyped --data-dir is an error, not a new empty store
        try {
          if (!statSync(config.dataDir).isDirectory())
            throw Object.assign(new Error("not a folder"), { code: "ENOTDIR" });
        } catch (error) {
          throw new DataDirError(config.dataDir, error);
        }
      }
      const store = await openStore(config);
      try {
        const service = new DatasetService(store, {
          dataRoots: config.dataRoots,
          mnistRoot: config.mnistRoot,
        });
        const rows = [];
        for (const record of await service.list()) {
          // a registered dataset whose files vanished is listed as unavailable, not fatal
          const dataset = await service.loadState(record.id);
          const ready = !(dataset instanceof Error);
          rows.push({
            id: record.id,
            name: record.name,
            kind: record.kind,
            state: ready ? "ready" : "unavailable",
            size: ready ? dataset.size : 0,
            shape: !ready
              ? "-"
              : dataset.kind === "images"
                ? dataset.images.imageShape.join("x")
                : `${dataset.embeddings.d}-d`,
            classes: ready ? datasetClasses(dataset) : [],
          });
        }
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(rows)}\n`);
          return;
        }
        const shown = rows.map((r) => ({
          ...r,
          id: escapeTerminal(r.id),
          name: escapeTerminal(r.name),
        }));
        const idWidth = widest(
          shown.map((r) => r.id),
          2,
        );
        const nameWidth = widest(
          shown.map((r) => r.name),
          4,
        );
        process.stdout.write(
          `${"id".padEnd(idWidth)}  ${"name".padEnd(nameWidth)}  ${"kind".padEnd(12)}  ${"size".padStart(7)}  shape     classes\n`,
        );
        for (const r of shown) {
          process.stdout.write(
            `${r.id.padEnd(idWidth)}  ${r.name.padEnd(nameWidth)}  ${r.kind.padEnd(12)}  ${String(r.size).padStart(7)}  ${r.shape.padEnd(8)}  ${r.classes.length}${r.state === "ready" ? "" : "  (unavailable: files missing or changed)"}\n`,
          );
        }
      } finally {
        await store.close();
      }
    });
}
