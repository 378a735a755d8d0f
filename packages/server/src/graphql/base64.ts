/** Numeric lists as base64 little-endian binary: a quarter of JSON's size, read without parsing. */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function encode(array: Float32Array | Int32Array): string {
  if (!LITTLE_ENDIAN) {
    // the wire format is little-endian whatever the host's order
    const view = new DataView(new ArrayBuffer(array.byteLength));
    const float = array instanceof Float32Array;
    for (let i = 0; i < array.length; i++) {
      if (float) view.setFloat32(4 * i, array[i]!, true);
      else view.setInt32(4 * i, array[i]!, true);
    }
    return Buffer.from(view.buffer).toString("base64");
  }
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
}

/** Each value rounded to float32 (nearest), 4 bytes little-endian, base64. */
export function float32Base64(values: ArrayLike<number>): string {
  return encode(values instanceof Float32Array ? values : Float32Array.from(values));
}

/** Each value as int32 (values outside int32 wrap: pass indices and labels only), base64. */
export function int32Base64(values: ArrayLike<number>): string {
  return encode(values instanceof Int32Array ? values : Int32Array.from(values));
}
