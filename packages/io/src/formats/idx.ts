/**
 * The IDX format of MNIST (http://yann.lecun.com/exdb/mnist/, "the IDX file format"): two zero
 * bytes, a type code, the number of dimensions, each dimension as a big-endian uint32, then the
 * values, big-endian, row-major. Pure byte-level parsing; file access lives in idx-file.ts.
 */
import { LacunaError } from "@lacuna/core";

export type IdxDtype = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

export interface IdxHeader {
  readonly dtype: IdxDtype;
  readonly itemSize: number;
  readonly shape: number[];
  /** Offset of the first value. */
  readonly dataOffset: number;
  /** Bytes the shape needs: product(shape) * itemSize. */
  readonly dataBytes: number;
}

export type IdxArray =
  | { readonly dtype: "uint8"; readonly shape: number[]; readonly data: Uint8Array }
  | {
      readonly dtype: Exclude<IdxDtype, "uint8">;
      readonly shape: number[];
      readonly data: Float64Array;
    };

/** Bytes that are not a well-formed IDX array; the message says what is wrong. */
export class IdxFormatError extends LacunaError {
  constructor(message: string) {
    super("input", "INVALID_IDX", message);
  }
}

const TYPES: Record<number, { dtype: IdxDtype; size: number }> = {
  0x08: { dtype: "uint8", size: 1 },
  0x09: { dtype: "int8", size: 1 },
  0x0b: { dtype: "int16", size: 2 },
  0x0c: { dtype: "int32", size: 4 },
  0x0d: { dtype: "float32", size: 4 },
  0x0e: { dtype: "float64", size: 8 },
};

/** Bytes needed before the dimensions: magic (2), type (1), rank (1). */
export const IDX_PREAMBLE_BYTES = 4;

/** The header's total length from its first 4 bytes: 4 + 4 * rank. */
export function idxHeaderLength(preamble: Uint8Array): number {
  if (preamble.length < IDX_PREAMBLE_BYTES || preamble[0] !== 0 || preamble[1] !== 0) {
    throw new IdxFormatError(
      "not an IDX file (wrong magic number: it must start with two zero bytes)",
    );
  }
  if (!TYPES[preamble[2]!]) {
    throw new IdxFormatError(
      `unknown IDX type code 0x${preamble[2]!.toString(16).padStart(2, "0")}; known: 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e`,
    );
  }
  if (preamble[3] === 0)
    throw new IdxFormatError("IDX rank 0: an IDX file needs at least one dimension");
  return IDX_PREAMBLE_BYTES + 4 * preamble[3]!;
}

/** Parses the header at the start of `bytes`, which must hold all of it. */
export function parseIdxHeader(bytes: Uint8Array): IdxHeader {
  const length = idxHeaderLength(bytes);
  if (bytes.length < length)
    throw new IdxFormatError(`truncated header: ${length} bytes needed, ${bytes.length} present`);
  const { dtype, size } = TYPES[bytes[2]!]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let r = 0; r < bytes[3]!; r++) {
    const dim = view.getUint32(IDX_PREAMBLE_BYTES + 4 * r, false);
    shape.push(dim);
    count *= dim;
  }
  const dataBytes = count * size;
  if (!Number.isSafeInteger(dataBytes))
    throw new IdxFormatError(`shape (${shape.join(", ")}) is too large to address`);
  return { dtype, itemSize: size, shape, dataOffset: length, dataBytes };
}

/** Refuses data that is not exactly as long as the shape needs. */
export function checkIdxDataLength(header: IdxHeader, available: number): void {
  if (available < header.dataBytes) {
    throw new IdxFormatError(
      `truncated data: shape (${header.shape.join(", ")}) of ${header.dtype} needs ${header.dataBytes} bytes, the file has ${Math.max(available, 0)}`,
    );
  }
  if (available > header.dataBytes) {
    throw new IdxFormatError(
      `the file has ${available - header.dataBytes} bytes more than shape (${header.shape.join(", ")}) of ${header.dtype} needs`,
    );
  }
}

/** Decodes a whole IDX file held in memory (uint8 stays Uint8Array, other types become Float64Array). */
export function decodeIdx(bytes: Uint8Array): IdxArray {
  const header = parseIdxHeader(bytes);
  checkIdxDataLength(header, bytes.length - header.dataOffset);
  return decodeIdxData(header, bytes.subarray(header.dataOffset));
}

/** Decodes exactly header.dataBytes bytes of values. */
export function decodeIdxData(header: IdxHeader, raw: Uint8Array): IdxArray {
  const { shape } = header;
  if (header.dtype === "uint8")
    return { dtype: "uint8", shape, data: raw.slice(0, header.dataBytes) };
  const count = header.dataBytes / header.itemSize;
  const view = new DataView(raw.buffer, raw.byteOffset, header.dataBytes);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    switch (header.dtype) {
      case "int8":
        out[i] = view.getInt8(i);
        break;
      case "int16":
        out[i] = view.getInt16(i * 2, false);
        break;
      case "int32":
        out[i] = view.getInt32(i * 4, false);
        break;
      case "float32":
        out[i] = view.getFloat32(i * 4, false);
        break;
      case "float64":
        out[i] = view.getFloat64(i * 8, false);
        break;
    }
  }
  return { dtype: header.dtype, shape, data: out };
}

/** Encodes an IDX file (for tests and tools): big-endian values after the header. */
export function encodeIdx(
  dtype: IdxDtype,
  shape: readonly number[],
  values: ArrayLike<number>,
): Uint8Array {
  const code = Number(Object.entries(TYPES).find(([, t]) => t.dtype === dtype)![0]);
  const size = TYPES[code]!.size;
  const out = new Uint8Array(4 + 4 * shape.length + values.length * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((dim, r) => view.setUint32(4 + 4 * r, dim, false));
  const o = 4 + 4 * shape.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    switch (dtype) {
      case "uint8":
        view.setUint8(o + i, v);
        break;
      case "int8":
        view.setInt8(o + i, v);
        break;
      case "int16":
        view.setInt16(o + i * 2, v, false);
        break;
      case "int32":
        view.setInt32(o + i * 4, v, false);
        break;
      case "float32":
        view.setFloat32(o + i * 4, v, false);
        break;
      case "float64":
        view.setFloat64(o + i * 8, v, false);
        break;
    }
  }
  return out;
}
