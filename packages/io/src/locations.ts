import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's `models/` folder: one encoder per sub-folder (`mnist-ae`). */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL("../../../models", import.meta.url));

/** The shipped encoder, a folder under the models directory. */
export const DEFAULT_MODEL = "mnist-ae";

/** What a model name may be (the CLI's `--model`, GraphQL's `model`): a folder name, never a path. */
export const MODEL_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/** The models directory: LACUNA_MODELS_DIR, else the repository's `models/`. */
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
