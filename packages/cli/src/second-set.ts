import type { Command } from "commander";
import { InvalidParameterError } from "@lacuna/core";
import { KnnPool } from "@lacuna/worker";
import {
  checkSource,
  type SourceEmbeddings,
  type SourceFlags,
  sourceEmbeddings,
} from "./dataset-embeddings.js";
import { checkExportFlags, type ExportFlags } from "./export-option.js";
import { integerListOption, integerOption } from "./options.js";

/**
 * A second set measured against the reference (the query of a cross coverage, the pool of
 * collect): `--NAME FILE.npy` or `--NAME-dataset ID` with its own selection and labels, encoded
 * with the reference's model.
 */
export interface SecondSetFlags {
  file?: string;
  dataset?: string;
  limit?: number;
  indices?: number[];
  classes?: number[];
  labels?: string;
}

/** Adds `--NAME`, `--NAME-dataset`, `--NAME-limit`, `--NAME-indices`, `--NAME-classes`, `--NAME-labels`. */
export function addSecondSetOptions(command: Command, name: string, what: string): Command {
  return command
    .option(`--${name} <file>`, `${what}: 2-D .npy embeddings from the reference's encoder`)
    .option(`--${name}-dataset <id>`, `${what}: a dataset, encoded with the reference's --model`)
    .option(
      `--${name}-limit <n>`,
      `${what}: the first n images of --${name}-dataset`,
      integerOption(1),
    )
    .option(`--${name}-indices <list>`, `${what}: comma-separated image indices`, integerListOption)
    .option(`--${name}-classes <list>`, `${what}: comma-separated class indices`, integerListOption)
    .option(`--${name}-labels <file>`, `${what}: per-sample labels (.npy or JSON array)`);
}

/** Reads commander's camel-cased `--NAME*` flags. */
export function secondSetFlags(flags: object, name: string): SecondSetFlags {
  const all = flags as Record<string, unknown>;
  const get = <T>(suffix: string): T | undefined => all[`${name}${suffix}`] as T | undefined;
  return {
    file: get<string>(""),
    dataset: get<string>("Dataset"),
    limit: get<number>("Limit"),
    indices: get<number[]>("Indices"),
    classes: get<number[]>("Classes"),
    labels: get<string>("Labels"),
  };
}

/** Whether any of the `--NAME*` flags was given. */
export function hasSecondSet(set: SecondSetFlags): boolean {
  return set.file !== undefined || set.dataset !== undefined;
}

/** @throws InvalidParameterError unless exactly one of `--NAME` and `--NAME-dataset` is given */
export function checkSecondSet(set: SecondSetFlags, name: string): void {
  if ((set.file === undefined) === (set.dataset === undefined)) {
    throw new InvalidParameterError(
      `--${name} / --${name}-dataset`,
      set.file ?? null,
      `exactly one of --${name} FILE.npy and --${name}-dataset ID`,
    );
  }
}

/** The second set's embeddings: its file, or its dataset's selection encoded like the reference's. */
export function secondSetEmbeddings(
  reference: SourceFlags,
  set: SecondSetFlags,
  pool: KnnPool,
): Promise<SourceEmbeddings> {
  return sourceEmbeddings(
    {
      ...reference,
      embeddings: set.file,
      dataset: set.dataset,
      limit: set.limit,
      indices: set.indices,
      classes: set.classes,
      labels: set.labels,
    },
    pool,
  );
}

/**
 * Checks the reference, the second set and the export flags (bad input costs nothing), then loads
 * both sets with one pool (encoding where they are datasets), closed before the search.
 */
export async function referenceAndSecondSet(
  flags: SourceFlags & ExportFlags & { threads?: number },
  set: SecondSetFlags,
  name: string,
): Promise<{ reference: SourceEmbeddings; second: SourceEmbeddings }> {
  checkSource(flags);
  checkSecondSet(set, name);
  checkExportFlags(flags);
  const pool = new KnnPool({ threads: flags.threads });
  try {
    const reference = await sourceEmbeddings(flags, pool);
    return { reference, second: await secondSetEmbeddings(flags, set, pool) };
  } finally {
    await pool.close();
  }
}

/** The name of a set for exports: the dataset id, else the file. */
export function sourceName(set: SourceEmbeddings, file: string | undefined): string {
  return set.images?.id ?? file ?? "embeddings";
}
