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
