import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

/**
 * The shipped encoders: the `@lacuna/models` package's folder, one encoder per sub-folder
 * (`mnist-ae`). Found through Node's resolver, not a path relative to this file, so it is the same
 * folder in the repository (the `models/` workspace) and in a user's `node_modules`.
 */
export const DEFAULT_MODELS_DIR = dirname(
  createRequire(import.meta.url).resolve("@lacuna/models/package.json"),
);

/** The shipped encoder, a folder under the models directory. */
export const DEFAULT_MODEL = "mnist-ae";

/** What a model name may be (the CLI's `--model`, GraphQL's `model`): a folder name, never a path. */
export const MODEL_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/** The models directory: LACUNA_MODELS_DIR, else the shipped encoders (`@lacuna/models`). */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LACUNA_MODELS_DIR ? resolve(env.LACUNA_MODELS_DIR) : DEFAULT_MODELS_DIR;
}

/** The default data directory (database, embedding cache): LACUNA_DATA_DIR, else ~/.cache/lacuna. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LACUNA_DATA_DIR ? resolve(env.LACUNA_DATA_DIR) : join(homedir(), ".cache", "lacuna");
}

/** The embedding cache inside a data directory: the same folder for `lacuna serve` and the CLI. */
export function embeddingCacheDir(dataDir: string): string {
  return join(dataDir, "embeddings");
}
