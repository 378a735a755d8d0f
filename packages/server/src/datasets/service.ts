import {
  type ClassSummary,
  type DatasetData,
  type DatasetSpec,
  builtinSpec,
  classSummary,
  confinePath,
  loadSpec,
  unknownDatasetError,
} from "@lacuna/io";
import { isLacunaError } from "@lacuna/core";
import { DatasetUnavailableError, InvalidArgumentError } from "../errors.js";
import type { Store } from "../store/database.js";
import type { DatasetsTable } from "../store/schema.js";

export type { DatasetSpec };

export type DatasetKind = "IDX" | "IMAGE_FOLDER" | "EMBEDDINGS";

export interface DatasetRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: DatasetKind;
  readonly builtin: boolean;
  readonly spec: DatasetSpec;
  readonly createdAt: string;
  /**
   * The content hash of what was read at registration: a later load that reads anything else (a
   * changed file, a vanished image shifting a folder's indices) is refused, never used silently.
   */
  readonly registeredHash?: string;
}

/** A dataset in memory (images to encode, or embeddings given as they are) with its record. */
export type LoadedDataset = DatasetData & { readonly record: DatasetRecord };

export interface RegisterDatasetInput {
  readonly id: string;
  readonly name?: string | null;
  readonly kind: DatasetKind;
  /** IDX: the images file; IMAGE_FOLDER: the folder; EMBEDDINGS: the .npy file. */
  readonly path: string;
  /** IDX: the labels file (required); EMBEDDINGS: optional labels (.npy or JSON). */
  readonly labels?: string | null;
  /** IMAGE_FOLDER: the size images are brought to; default 28 x 28 grey. */
  readonly imageShape?: readonly number[] | null;
}

const ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
const CREATED_AT_BUILTIN = "1970-01-01T00:00:00.000Z";
const BUILTINS: readonly DatasetRecord[] = [
  {
    id: "mnist:train",
    name: "MNIST training set",
    kind: "IDX",
    builtin: true,
    spec: builtinSpec("mnist:train")!,
    createdAt: CREATED_AT_BUILTIN,
  },
  {
    id: "mnist:test",
    name: "MNIST test set",
    kind: "IDX",
    builtin: true,
    spec: builtinSpec("mnist:test")!,
    createdAt: CREATED_AT_BUILTIN,
  },
];

type Row = DatasetsTable;

/**
 * The dataset registry: the built-in MNIST splits plus datasets registered from files under the
 * configured data roots, persisted in the store (SQLite or PostgreSQL). Loaded datasets stay in memory (a few, small).
 */
export class DatasetService {
  private readonly loaded = new Map<string, Promise<LoadedDataset>>();

  constructor(
    private readonly store: Store,
    private readonly options: {
      readonly dataRoots: readonly string[];
      readonly mnistRoot?: string;
    },
  ) {}

  /** The built-in datasets, then the registered ones in order of registration. */
  async list(): Promise<DatasetRecord[]> {
    const rows = await this.store.db
      .selectFrom("datasets")
      .selectAll()
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return [...BUILTINS, ...rows.map(fromRow)];
  }

  /** @throws NotFoundError naming the known datasets */
  async get(id: string): Promise<DatasetRecord> {
    const builtin = BUILTINS.find((b) => b.id === id);
    if (builtin) return builtin;
    const row = await this.store.db
      .selectFrom("datasets")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) {
      throw unknownDatasetError(
        id,
        (await this.list()).map((d) => d.id),
      );
    }
    return fromRow(row);
  }

  /**
   * A dataset's data, or null with the reason when a registered dataset's files cannot be read
   * (so one vanished file never breaks a listing).
   */
  async loadState(id: string): Promise<LoadedDataset | DatasetUnavailableError> {
    try {
      return await this.load(id);
    } catch (error) {
      if (error instanceof DatasetUnavailableError) return error;
      throw error;
    }
  }

  /** Loads (once) and returns a dataset's data. @throws DatasetUnavailableError for vanished files */
  async load(id: string): Promise<LoadedDataset> {
    const record = await this.get(id);
    const key = `${record.id}@${record.createdAt}`;
    let pending = this.loaded.get(key);
    if (!pending) {
      pending = loadRecord(record, this.options.mnistRoot).catch((error: unknown) => {
        // a registered dataset's files went missing or bad: say so without the server's paths
        if (!record.builtin && isLacunaError(error) && error.kind === "input")
          throw new DatasetUnavailableError(record.id, error);
        throw error;
      });
      this.loaded.set(key, pending);
      pending.catch(() => this.loaded.delete(key));
    }
    return pending;
  }

  /**
   * Registers files under a data root as a dataset, after loading them once to prove they are
   * valid. @throws InvalidArgumentError, PathOutsideRootsError, FileNotFoundError, InvalidFileError
   */
  async register(input: RegisterDatasetInput): Promise<DatasetRecord> {
    if (!ID_PATTERN.test(input.id)) {
      throw new InvalidArgumentError(
        "input.id",
        "1-63 characters of a-z, 0-9, '_', '.', '-', starting with a letter or digit",
        input.id,
      );
    }
    if (
      BUILTINS.some((b) => b.id === input.id) ||
      (await this.store.db
        .selectFrom("datasets")
        .select("id")
        .where("id", "=", input.id)
        .executeTakeFirst())
    ) {
      throw new InvalidArgumentError("input.id", "an id not already registered", input.id);
    }
    const roots = this.options.dataRoots;
    let spec: DatasetSpec;
    if (input.kind === "IDX") {
      if (!input.labels)
        throw new InvalidArgumentError(
          "input.labels",
          "the IDX labels file for kind IDX",
          input.labels ?? null,
        );
      spec = {
        source: "idx",
        images: await confinePath(input.path, roots),
        labels: await confinePath(input.labels, roots),
      };
    } else if (input.kind === "IMAGE_FOLDER") {
      const shape = input.imageShape ?? [28, 28, 1];
      const [h, w, c] = shape;
      if (shape.length !== 3 || !isSide(h) || !isSide(w) || (c !== 1 && c !== 3)) {
        throw new InvalidArgumentError(
          "input.imageShape",
          "[height, width, channels] with sides 1-1024 and 1 or 3 channels",
          shape,
        );
      }
      spec = {
        source: "image-folder",
        path: await confinePath(input.path, roots),
        imageShape: [h!, w!, c],
      };
    } else {
      spec = {
        source: "embeddings",
        embeddings: await confinePath(input.path, roots),
        ...(input.labels ? { labels: await confinePath(input.labels, roots) } : {}),
      };
    }
    const record: DatasetRecord = {
      id: input.id,
      name: input.name?.trim() || input.id,
      kind: input.kind,
      builtin: false,
      spec,
      createdAt: new Date().toISOString(),
    };
    // refuse what cannot be loaded, now; and remember what was read
    const { contentHash } = await loadRecord(record, this.options.mnistRoot);
    const stored = JSON.stringify({ ...record.spec, registeredHash: contentHash });
    try {
      await this.store.db
        .insertInto("datasets")
        .values({
          id: record.id,
          name: record.name,
          kind: record.kind,
          spec: stored,
          created_at: record.createdAt,
        })
        .execute();
    } catch (error) {
      // two registrations of one id raced past the check above while their files loaded
      const code = (error as { code?: string }).code;
      // SQLite's primary-key violation, PostgreSQL's unique_violation
      if (code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505") {
        throw new InvalidArgumentError("input.id", "an id not already registered", input.id);
      }
      throw error;
    }
    return { ...record, registeredHash: contentHash };
  }

  /** Removes a registered dataset (its files are left alone). @returns whether it existed */
  async remove(id: string): Promise<boolean> {
    if (BUILTINS.some((b) => b.id === id)) {
      throw new InvalidArgumentError(
        "id",
        "a registered dataset (built-in ones cannot be removed)",
        id,
      );
    }
    const record = await this.get(id);
    this.loaded.delete(`${record.id}@${record.createdAt}`);
    const { numDeletedRows } = await this.store.db
      .deleteFrom("datasets")
      .where("id", "=", id)
      .executeTakeFirst();
    return numDeletedRows > 0n;
  }
}

function isSide(v: number | undefined): v is number {
  return v !== undefined && Number.isInteger(v) && v >= 1 && v <= 1024;
}

function fromRow(row: Row): DatasetRecord {
  const { registeredHash, ...spec } = JSON.parse(row.spec) as DatasetSpec & {
    registeredHash?: string;
  };
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as DatasetKind,
    builtin: false,
    spec: spec as DatasetSpec,
    createdAt: row.created_at,
    ...(registeredHash ? { registeredHash } : {}),
  };
}

async function loadRecord(
  record: DatasetRecord,
  mnistRoot: string | undefined,
): Promise<LoadedDataset> {
  const data = await loadSpec(record.spec, record, mnistRoot);
  if (record.registeredHash !== undefined && data.contentHash !== record.registeredHash)
    throw new DatasetUnavailableError(record.id, "its content differs from what was registered");
  return { ...data, record };
}

/** Class index, name and count for a loaded dataset; empty for unlabelled embeddings. */
export function datasetClasses(dataset: LoadedDataset): ClassSummary[] {
  return dataset.labels
    ? classSummary({ labels: dataset.labels, classNames: dataset.classNames })
    : [];
}
