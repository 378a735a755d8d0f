import type { Command } from "commander";
import { type ExportContext, type ExportRecord, exportFormatOf, writeExportFile } from "@lacuna/io";

/** The flags of `--export`. */
export interface ExportFlags {
  export?: string;
  exportFormat?: string;
  imageUrl?: string;
}

/** Adds `--export FILE`, `--export-format` and `--image-url`. */
export function addExportOptions(command: Command): Command {
  return command
    .option(
      "--export <file>",
      "write the list as CSV (.csv), JSON Lines (.jsonl) or a Label Studio import file (.json)",
    )
    .option("--export-format <format>", "csv, jsonl or label-studio (default: from the extension)")
    .option(
      "--image-url <template>",
      "image address in the export: {source}, {index} (dataset index) and {row} are replaced",
    );
}

/** Checks the export flags before any work, so a bad extension costs nothing. */
export function checkExportFlags(flags: ExportFlags): void {
  if (flags.export !== undefined) exportFormatOf(flags.export, flags.exportFormat);
}

/** Writes `records(context)` to `--export`, when given; the context gets `--image-url`. */
export async function writeExport(
  flags: ExportFlags,
  context: ExportContext,
  records: (context: ExportContext) => ExportRecord[],
): Promise<void> {
  if (flags.export === undefined) return;
  const format = exportFormatOf(flags.export, flags.exportFormat);
  const withImage =
    flags.imageUrl === undefined ? context : { ...context, imageTemplate: flags.imageUrl };
  await writeExportFile(flags.export, records(withImage), format);
}
