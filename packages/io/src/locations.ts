import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's `models/` folder: one encoder per sub-folder (`mnist-ae`). */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL("../../../models", import.meta.url));

/** The shipped encoder, a folder under the models directory. */
export const DEFAULT_MODEL = "mnist-ae";

/** The default data directory (database, embedding cache): LACUNA_DATA_DIR, else ~/.cache/lacuna. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.LACUNA_DATA_DIR ? resolve(env.LACUNA_DATA_DIR) : join(homedir(), ".cache", "lacuna");
}

/** The embedding cache inside a data directory: the same folder for `lacuna serve` and the CLI. */
export function embeddingCacheDir(dataDir: string): string {
  return join(dataDir, "embeddings");
}
