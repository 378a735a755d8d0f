/**
 * NumPy .npy format, versions 1.0 to 3.0 (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
 * Pure byte-level parsing and encoding; file access lives in npy-file.ts.
 */
import { LacunaError } from "@lacuna/core";

export type NpyArray =
  | { dtype: "float32"; shape: number[]; data: Float32Array }
  | { dtype: NpyNumericDtype; shape: number[]; data: Float64Array };

export type NpyNumericDtype =
  | "float16"
  | "float64"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "bool";

export interface NpyHeader {
  readonly version: string;
  readonly descr: string;
  readonly dtype: NpyArray["dtype"];
  readonly littleEndian: boolean;
  readonly itemSize: number;
  readonly fortranOrder: boolean;
  readonly shape: number[];
  /** Byte offset of the first data byte. */
  readonly dataOffset: number;
  /** Bytes of data the shape needs: product(shape) * itemSize. */
  readonly dataBytes: number;
}

/** Thrown for bytes that are not a well-formed, supported .npy array; the message says what is wrong. */
export class NpyFormatError extends LacunaError {
  constructor(message: string) {
    super("input", "INVALID_NPY", message);
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Largest header numpy writes is a few hundred bytes; refuse absurd lengths before decoding them. */
const MAX_HEADER_BYTES = 1 << 20;

const DTYPES: Record<string, { dtype: NpyArray["dtype"]; size: number }> = {
  f2: { dtype: "float16", size: 2 },
  f4: { dtype: "float32", size: 4 },
  f8: { dtype: "float64", size: 8 },
  i1: { dtype: "int8", size: 1 },
  i2: { dtype: "int16", size: 2 },
  i4: { dtype: "int32", size: 4 },
  i8: { dtype: "int64", size: 8 },
  u1: { dtype: "uint8", size: 1 },
  u2: { dtype: "uint16", size: 2 },
  u4: { dtype: "uint32", size: 4 },
  u8: { dtype: "uint64", size: 8 },
  b1: { dtype: "bool", size: 1 },
};

/** Bytes needed to read any header's length field: magic, version, and up to 4 length bytes. */
export const NPY_PREAMBLE_BYTES = 12;

/**
 * Checks the magic string and version and reads the header's length from the first
 * NPY_PREAMBLE_BYTES (or fewer) bytes. `end` is the offset of the first data byte.
 */
export function readPreamble(bytes: Uint8Array): {
  major: number;
  minor: number;
  start: number;
  end: number;
} {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new NpyFormatError("not a .npy file (the magic string \\x93NUMPY is missing)");
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3 || minor !== 0) {
    throw new NpyFormatError(
      `unsupported .npy format version ${major}.${minor}; supported: 1.0, 2.0, 3.0`,
    );
  }
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) throw new NpyFormatError("truncated header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new NpyFormatError(
      `header length ${headerLength} is implausibly large (at most ${MAX_HEADER_BYTES})`,
    );
  }
  return { major, minor, start, end: start + headerLength };
}

/**
 * Parses the header at the start of `bytes` (which must hold at least the whole header).
 * Checks everything except that the data is all there; `dataBytes` says how much it must be.
 */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  const { major, minor, start, end } = readPreamble(bytes);
  if (bytes.length < end) {
    throw new NpyFormatError(
      `truncated header: it claims ${end - start} bytes, the file has ${bytes.length - start}`,
    );
  }
  const headerLength = end - start;
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, start + headerLength),
  );
  const dict = parseHeaderDict(text);

  const descr = dict.descr;
  if (descr === "|O" || descr === "O") {
    throw new NpyFormatError("object arrays are not supported (dtype 'O'): save a numeric array");
  }
  const match = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const spec = match ? DTYPES[`${match[2]}${match[3]}`] : undefined;
  if (!match || !spec) {
    throw new NpyFormatError(
      `unsupported dtype '${descr}'; supported: float16/32/64, int8/16/32/64, uint8/16/32/64, bool`,
    );
  }
  if (dict.fortranOrder) {
    throw new NpyFormatError(
      "Fortran-ordered arrays are not supported: save with numpy.ascontiguousarray (C order)",
    );
  }
  let count = 1;
  for (const dim of dict.shape) count *= dim;
  const dataBytes = count * spec.size;
  if (!Number.isSafeInteger(dataBytes)) {
    throw new NpyFormatError(`shape (${dict.shape.join(", ")}) is too large to address`);
  }
  return {
    version: `${major}.${minor}`,
    descr,
    dtype: spec.dtype,
    // '|' (not applicable) and '=' (native, which numpy never writes) read as little endian
    littleEndian: match[1] !== ">",
    itemSize: spec.size,
    fortranOrder: false,
    shape: dict.shape,
    dataOffset: start + headerLength,
    dataBytes,
  };
}

/**
 * Decodes a whole .npy file held in memory. float32 stays Float32Array; every other dtype is
 * widened to Float64Array (int64 beyond 2^53 loses precision, as in any double).
 */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  const header = parseNpyHeader(bytes);
  checkDataLength(header, bytes.length - header.dataOffset);
  return decodeNpyData(
    header,
    bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes),
  );
}

/**
 * Refuses data that is not exactly as long as the header's shape needs: shorter is a truncated
 * file, longer is a header that does not describe its data.
 */
export function checkDataLength(header: NpyHeader, available: number): void {
  const what = `shape (${header.shape.join(", ")}) of ${header.descr}`;
  if (available < header.dataBytes) {
    throw new NpyFormatError(
      `truncated data: ${what} needs ${header.dataBytes} bytes, the file has ${Math.max(available, 0)}`,
    );
  }
  if (available > header.dataBytes) {
    throw new NpyFormatError(
      `the file has ${available - header.dataBytes} bytes more than ${what} needs; the header does not describe the data`,
    );
  }
}

/** Decodes exactly `header.dataBytes` data bytes into a typed array (always a fresh, aligned copy). */
export function decodeNpyData(header: NpyHeader, raw: Uint8Array): NpyArray {
  const count = header.dataBytes / header.itemSize;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = header.littleEndian;
  const shape = header.shape;
  if (header.dtype === "float32") {
    const out = new Float32Array(count);
    if (le) new Uint8Array(out.buffer).set(raw);
    else for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, false);
    return { dtype: "float32", shape, data: out };
  }
  const out = new Float64Array(count);
  const read = reader(header.dtype, view, le);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return { dtype: header.dtype, shape, data: out };
}

function reader(dtype: NpyNumericDtype, v: DataView, le: boolean): (i: number) => number {
  switch (dtype) {
    case "float64":
      return (i) => v.getFloat64(i * 8, le);
    case "float16":
      return (i) => float16ToNumber(v.getUint16(i * 2, le));
    case "int8":
      return (i) => v.getInt8(i);
    case "uint8":
      return (i) => v.getUint8(i);
    case "bool":
      return (i) => (v.getUint8(i) !== 0 ? 1 : 0);
    case "int16":
      return (i) => v.getInt16(i * 2, le);
    case "uint16":
      return (i) => v.getUint16(i * 2, le);
    case "int32":
      return (i) => v.getInt32(i * 4, le);
    case "uint32":
      return (i) => v.getUint32(i * 4, le);
    case "int64":
      return (i) => Number(v.getBigInt64(i * 8, le));
    case "uint64":
      return (i) => Number(v.getBigUint64(i * 8, le));
  }
}

function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * A strict parser for the header's Python dict literal, e.g.
 * {'descr': '<f4', 'fortran_order': False, 'shape': (2000, 10), }
 */
function parseHeaderDict(text: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const body = text.replace(/[\s\n]+$/, "");
  const m = /^\{(.*)\}$/s.exec(body);
  if (!m) throw new NpyFormatError("header is not a Python dict literal");
  const inner = m[1]!;
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(inner);
  if (/'descr'\s*:\s*\[/.test(inner)) {
    throw new NpyFormatError(
      "structured arrays (a list dtype) are not supported: save a plain numeric array",
    );
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(inner);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(inner);
  if (!descr || !fortran || !shape) {
    throw new NpyFormatError("header lacks one of 'descr', 'fortran_order' and 'shape'");
  }
  const dims = shape[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const parsed = dims.map((s) => {
    if (!/^\d+L?$/.test(s))
      throw new NpyFormatError(`shape has a dimension that is not a whole number: '${s}'`);
    const v = Number.parseInt(s, 10);
    if (!Number.isSafeInteger(v)) throw new NpyFormatError(`shape dimension ${s} is too large`);
    return v;
  });
  return { descr: descr[1]!, fortranOrder: fortran[1] === "True", shape: parsed };
}

/** Encodes a C-order little-endian .npy (version 1.0) of float32, float64 or int32 values. */
export function encodeNpy(
  data: Float32Array | Float64Array | Int32Array,
  shape: readonly number[],
): Uint8Array {
  const descr = data instanceof Float32Array ? "<f4" : data instanceof Float64Array ? "<f8" : "<i4";
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // numpy pads so that the data starts on a 64-byte boundary, ending the header with '\n'
  const unpadded = 10 + header.length + 1;
  header += " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // typed arrays are little endian on every platform Node supports
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
