import { StoragePathError } from '../../errors.js';
import { validateStoragePath } from '../path-rules.js';

/** A storage path split the S3 way: the first segment is the bucket, the rest the key. */
export interface S3Location {
  readonly bucket: string;
  /** The object key, or for a listing the key prefix (`''` or ending in `/`). */
  readonly key: string;
}

/** S3's bucket naming rules: 3–63 characters, lower-case letters, digits, `.` and `-`, alphanumeric at both ends. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** S3 keys are at most 1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

function checkBucket(path: string, bucket: string): void {
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw new StoragePathError(path, `${JSON.stringify(bucket)} is not a valid S3 bucket name (3-63 characters: a-z, 0-9, '.', '-')`);
  }
}

/**
 * The bucket and key of an object path (`<bucket>/<key…>`). Throws `StoragePathError` for a path the
 * other adapters reject too, a bad bucket name, a path without a key, or a key over 1024 bytes.
 */
export function objectLocation(path: string): S3Location {
  const [bucket, ...rest] = validateStoragePath(path);
  if (bucket === undefined || rest.length === 0) throw new StoragePathError(path, 'names a bucket but no object key');
  checkBucket(path, bucket);
  const key = rest.join('/');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new StoragePathError(path, `its key is longer than ${MAX_KEY_BYTES} bytes`);
  return { bucket, key };
}

/**
 * The bucket and key prefix of a folder to list: `<bucket>` lists the whole bucket, `<bucket>/a/b` the
 * keys under `a/b/`. Returns `undefined` for `''` (every bucket).
 */
export function folderLocation(prefix: string): S3Location | undefined {
  const [bucket, ...rest] = validateStoragePath(prefix, true);
  if (bucket === undefined) return undefined;
  checkBucket(prefix, bucket);
  return { bucket, key: rest.length === 0 ? '' : `${rest.join('/')}/` };
}
