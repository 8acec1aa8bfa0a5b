// Map keys repeat (every record of an array has the same ones). A small table remembers the ASCII
// keys seen last, each as V8's canonical (internalized) copy of the string: building the string
// again is avoided, and property stores with the very string a store site saw before take V8's
// fastest path (about a third off decoding an array of records). A slot is picked by the length
// and a few bytes of the key, then the key's bytes are compared in full; a colliding key replaces it.
const SLOTS = 2048;
const MASK = SLOTS - 1;
const slots: string[] = new Array<string>(SLOTS).fill('');

/** Longest key (in bytes) the table keeps. */
export const MAX_CACHED_KEY_LENGTH = 32;

/**
 * The key held in `bytes[start, start + length)` when it is ASCII (1 to 32 bytes), from the table
 * or built and remembered; `undefined` for any other key, which the caller decodes as text.
 */
export function cachedKey(bytes: Uint8Array, start: number, length: number): string | undefined {
  const last = start + length - 1;
  const slot = (length * 0x9e5 + bytes[start]! * 0x3b + bytes[start + (length >>> 1)]! * 7 + bytes[last]!) & MASK;
  const known = slots[slot]!;
  if (known.length === length && sameAscii(known, bytes, start)) return known;
  let key = '';
  for (let i = start; i <= last; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) return undefined;
    key += String.fromCharCode(byte);
  }
  // A property name is stored internalized; reading it back yields V8's canonical copy.
  key = Object.keys({ [key]: 0 })[0] ?? key;
  slots[slot] = key;
  return key;
}

function sameAscii(text: string, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== bytes[start + i]) return false;
  }
  return true;
}
