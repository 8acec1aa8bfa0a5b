import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Returns a generator of random 8-character lowercase alphanumeric ids (HKube's task id shape). Ids are
 * drawn in blocks to keep the cost per id low.
 */
export function createTaskIdGenerator(): () => string {
  let pool = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 8 > pool.length) {
      pool = randomBytes(8 * 256);
      offset = 0;
    }
    let id = '';
    for (let i = 0; i < 8; i += 1) id += ALPHABET[pool[offset + i]! % ALPHABET.length];
    offset += 8;
    return id;
  };
}
