/**
 * @lacuna/io: everything Lacuna reads and writes: `.npy` and IDX files, datasets and selections,
 * labels, content hashes and the embedding cache. Pictures (PNG grid, scatter; sharp) are under
 * `@lacuna/io/pictures`, so importing this module never loads an image library.
 */
export {
  InvalidFileError,
  FileNotFoundError,
  FileWriteError,
  PathOutsideRootsError,
  InvalidSelectionError,
} from "./errors.js";
export { describeFsError, isFsError } from "./formats/fs-errors.js";
export {
  type NpyArray,
  type NpyHeader,
  type NpyNumericDtype,
  NpyFormatError,
  decodeNpy,
  decodeNpyData,
  encodeNpy,
  parseNpyHeader,
} from "./formats/npy.js";
export { readNpyFile, writeNpyFile } from "./formats/npy-file.js";
export { type NpyRows, openNpyRows } from "./formats/npy-rows.js";
export { makeDirectory } from "./formats/make-dir.js";
export { readIdxFile } from "./formats/idx-file.js";
export {
  decodeIdx,
  encodeIdx,
  IdxFormatError,
  type IdxArray,
  type IdxDtype,
} from "./formats/idx.js";
export {
  type ImageDataset,
  type ClassSummary,
  classSummary,
  imageBytes,
} from "./datasets/dataset.js";
export { loadMnist, defaultMnistRoot, type MnistSplit } from "./datasets/mnist.js";
export { loadIdxPair } from "./datasets/idx-pair.js";
export { loadImageFolder, type ImageFolderOptions } from "./datasets/image-folder.js";
export {
  type DatasetSpec,
  type DatasetData,
  BUILTIN_DATASETS,
  FOLDER_IMAGE_SHAPE,
  builtinSpec,
  loadDataset,
  loadSpec,
  unknownDatasetError,
} from "./datasets/registry.js";
export { applySelection, type Selection } from "./datasets/selection.js";
export { confinePath } from "./datasets/paths.js";
export { loadEmbeddingsNpy } from "./embeddings/input.js";
export { type Labels, MAX_LABEL, readLabels } from "./embeddings/labels.js";
export {
  type EmbeddingKey,
  type CachedEmbeddings,
  CacheWriteError,
  cachedEmbeddings,
  datasetContentHash,
  embeddingCacheKey,
  readCachedEmbeddings,
} from "./embeddings/cache.js";
export {
  type Encode,
  type EncodedCodes,
  type SelectionEmbeddings,
  type SelectionEmbeddingsRequest,
  selectedPixels,
  selectionEmbeddings,
  selectionKey,
} from "./embeddings/pipeline.js";
export {
  type ModelArguments,
  type ModelChoice,
  ModelChoiceError,
  resolveModelDir,
} from "./models.js";
export {
  DEFAULT_MODEL,
  DEFAULT_MODELS_DIR,
  MODEL_NAME_PATTERN,
  defaultDataDir,
  defaultModelsDir,
  embeddingCacheDir,
} from "./locations.js";
export {
  type ExportFormat,
  type ExportRecord,
  type ExportContext,
  type CollectPicks,
  type LabelStudioTask,
  CSV_COLUMNS,
  EXPORT_FORMATS,
  EXPORT_CONTENT_TYPE,
  collectExportRecords,
  exportFormatOf,
  flaggedExportRecords,
  formatCsv,
  formatExport,
  formatJsonLines,
  formatLabelStudio,
} from "./export/records.js";
export { writeExportFile } from "./export/export-file.js";
