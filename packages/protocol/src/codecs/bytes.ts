/** Views any binary input as a Node Buffer over the same memory (no copy). */
export function asBuffer(bytes: Uint8Array | ArrayBuffer): Buffer {
  if (Buffer.isBuffer(bytes)) return bytes;
  if (bytes instanceof ArrayBuffer) return Buffer.from(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Length of an input in bytes, or in characters for a string. */
export function inputLength(bytes: Uint8Array | ArrayBuffer | string): number {
  // Called on error paths with whatever a caller passed, so it must not throw on non-bytes.
  if (typeof bytes === 'string') return bytes.length;
  return bytes instanceof Uint8Array || bytes instanceof ArrayBuffer ? bytes.byteLength : 0;
}
