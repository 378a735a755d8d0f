/** Public API of @lacuna/server's file formats and errors, for the other packages and tests. */
export {
  ServerErrorCodes,
  type ServerErrorCode,
  InvalidFileError,
  FileNotFoundError,
} from "./errors.js";
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
export { loadEmbeddingsNpy } from "./embeddings-input.js";
export {
  type ImageDataset,
  type ClassSummary,
  classSummary,
  imageBytes,
} from "./datasets/dataset.js";
export { loadMnist, defaultMnistRoot, type MnistSplit } from "./datasets/mnist.js";
export { loadDataset, BUILTIN_DATASETS } from "./datasets/registry.js";
export { applySelection, type Selection } from "./datasets/selection.js";
export { InvalidSelectionError } from "./datasets/errors.js";
export { readIdxFile } from "./formats/idx-file.js";
export {
  decodeIdx,
  encodeIdx,
  IdxFormatError,
  type IdxArray,
  type IdxDtype,
} from "./formats/idx.js";
