/** Vectors as SQLite keeps them: float32 little-endian BLOBs, whose bytes may not be 4-byte aligned. */

/** A copy of the floats in `buffer` (safe whatever its alignment). */
export function toFloat32(buffer: Buffer): Float32Array {
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  return new Float32Array(copy.buffer);
}

/** The floats in `buffer`, without a copy where its bytes are aligned (for reading only). */
export function floatView(buffer: Buffer): Float32Array {
  return buffer.byteOffset % 4 === 0 ? new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4) : toFloat32(buffer);
}
