/**
 * Decoding of the server's base64 fields (`criticalValueRadiiBase64`, `indicesBase64`,
 * `coordinatesBase64`, `Embeddings.base64`): little-endian 4-byte values, in Node.js and browsers.
 */

function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (bytes.length % 4 !== 0) {
    throw new TypeError(`expected a multiple of 4 bytes (4 a value), got ${bytes.length}`);
  }
  return bytes;
}

function decode<T extends Float32Array | Int32Array>(
  base64: string,
  make: (length: number) => T,
  read: (view: DataView, at: number) => number,
): T {
  const bytes = bytesOf(base64);
  const out = make(bytes.length / 4);
  // DataView reads little-endian on any host; a typed array over the bytes would use the host's order
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < out.length; i++) out[i] = read(view, 4 * i);
  return out;
}

/**
 * A base64 little-endian float32 field as a Float32Array.
 * @param expected the number of values it must hold (a count, or count x dimensions), if known
 * @throws TypeError when the text is not base64 of whole float32 values, or the length differs
 */
export function decodeFloat32(base64: string, expected?: number): Float32Array {
  const values = decode(
    base64,
    (n) => new Float32Array(n),
    (v, at) => v.getFloat32(at, true),
  );
  check(values.length, expected);
  return values;
}

/**
 * A base64 little-endian int32 field (indices) as an Int32Array.
 * @throws TypeError as decodeFloat32
 */
export function decodeInt32(base64: string, expected?: number): Int32Array {
  const values = decode(
    base64,
    (n) => new Int32Array(n),
    (v, at) => v.getInt32(at, true),
  );
  check(values.length, expected);
  return values;
}

function check(length: number, expected: number | undefined): void {
  if (expected !== undefined && length !== expected) {
    throw new TypeError(`expected ${expected} values, got ${length}`);
  }
}
