import { StoragePathError } from '../errors.js';

/**
 * Checks that `path` is a safe relative storage path and returns its segments: non-empty, no leading
 * `/`, no empty, `.` or `..` segment, no NUL byte and no backslash. These rules make the same path
 * valid for fs (no escape from the base directory) and S3 (bucket + key). Throws `StoragePathError`.
 *
 * @param allowEmpty - accept `''` (the root, for listing) and return no segments.
 */
export function validateStoragePath(path: string, allowEmpty = false): string[] {
  if (typeof path !== 'string') throw new StoragePathError(String(path), 'not a string');
  if (path === '') {
    if (allowEmpty) return [];
    throw new StoragePathError(path, 'empty');
  }
  if (path.includes('\0')) throw new StoragePathError(path, 'contains a NUL byte');
  if (path.includes('\\')) throw new StoragePathError(path, 'contains a backslash');
  if (path.startsWith('/')) throw new StoragePathError(path, 'absolute');
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') throw new StoragePathError(path, 'has an empty segment');
    if (segment === '.' || segment === '..') throw new StoragePathError(path, `has a '${segment}' segment`);
  }
  return segments;
}
