/**
 * Readers for the storage shapes shared by both directions (links in `initialize` and Code-API
 * requests, descriptors in `storing`). Internal: they throw `ShapeViolation`, which the public
 * parsers turn into `InvalidMessageError`.
 *
 * @internal
 * @module
 */

import type {
  DiscoveryAddress,
  ResultMetadata,
  StorageDescriptor,
  StorageInfo,
  StorageLink,
  StorageLinks,
} from './initialize.js';
import {
  copyWithoutNulls,
  isAbsent,
  join,
  optionalId,
  optionalNumber,
  optionalObject,
  optionalString,
  requireId,
  requireNumber,
  requireObject,
  requirePort,
  requireString,
  requireStringArray,
} from './shape.js';

/** `{host, port}` with the port as a number. */
export function readDiscovery(value: unknown, path: string): DiscoveryAddress {
  const address = requireObject(value, path);
  return {
    ...address,
    host: requireId(address.host, join(path, 'host')),
    port: requirePort(address.port, join(path, 'port')),
  };
}

/** `{path, size?}`; `size` is required when `sizeRequired`. */
export function readStorageInfo(value: unknown, path: string, sizeRequired: boolean): StorageInfo {
  const info = { ...requireObject(value, path) };
  requireId(info.path, join(path, 'path'));
  if (sizeRequired) requireNumber(info.size, join(path, 'size'));
  else optionalNumber(info.size, join(path, 'size'));
  return info as StorageInfo;
}

/** Save path → `{type, size?}`. Small (one entry per save path), so every entry is checked. */
export function readMetadata(value: unknown, path: string): ResultMetadata | undefined {
  const metadata = optionalObject(value, path);
  if (metadata === undefined) return undefined;
  for (const key of Object.keys(metadata)) {
    const entryPath = join(path, key);
    const entry = requireObject(metadata[key], entryPath);
    requireString(entry.type, join(entryPath, 'type'));
    optionalNumber(entry.size, join(entryPath, 'size'));
  }
  return metadata as ResultMetadata;
}

/** Documented optional fields of links and descriptors; `null` values are dropped from the copies. */
const OPTIONAL_LINK_FIELDS = ['path', 'metadata', 'discovery', 'taskId', 'storageInfo', 'tasks'] as const;

/** One link: a single stored value (`storageInfo`) or a grouped peer (`discovery` + `tasks`). */
export function readStorageLink(value: unknown, path: string): StorageLink {
  const link = copyWithoutNulls(requireObject(value, path), OPTIONAL_LINK_FIELDS);
  optionalString(link.path, join(path, 'path'));
  if (isAbsent(link.storageInfo) && !isAbsent(link.tasks)) {
    requireStringArray(link.tasks, join(path, 'tasks'));
    link.discovery = readDiscovery(link.discovery, join(path, 'discovery'));
    return link as StorageLink;
  }
  link.storageInfo = readStorageInfo(link.storageInfo, join(path, 'storageInfo'), false);
  readMetadata(link.metadata, join(path, 'metadata'));
  optionalString(link.taskId, join(path, 'taskId'));
  if (link.discovery !== undefined) link.discovery = readDiscovery(link.discovery, join(path, 'discovery'));
  return link as StorageLink;
}

/**
 * Reference id → link or array of links. Absent → `{}`. Links are checked shallowly (a handful of
 * fields each); the values they point at are not touched.
 */
export function readStorageLinks(value: unknown, path: string): StorageLinks {
  const storage = optionalObject(value, path);
  if (storage === undefined) return {};
  // fromEntries defines own properties, so a key such as `__proto__` stays an ordinary key.
  return Object.fromEntries(
    Object.keys(storage).map((key): [string, StorageLink | StorageLink[]] => {
      const entry = storage[key];
      const entryPath = join(path, key);
      if (!Array.isArray(entry)) return [key, readStorageLink(entry, entryPath)];
      return [key, (entry as unknown[]).map((item, i) => readStorageLink(item, join(entryPath, i)))];
    }),
  );
}

/** The `storing` descriptor: `{storageInfo: {path, size}, metadata?, discovery?, taskId?}`. */
export function readStorageDescriptor(value: unknown, path: string): StorageDescriptor {
  const descriptor = copyWithoutNulls(requireObject(value, path), OPTIONAL_LINK_FIELDS);
  descriptor.storageInfo = readStorageInfo(descriptor.storageInfo, join(path, 'storageInfo'), true);
  readMetadata(descriptor.metadata, join(path, 'metadata'));
  optionalId(descriptor.taskId, join(path, 'taskId'));
  if (descriptor.discovery !== undefined) descriptor.discovery = readDiscovery(descriptor.discovery, join(path, 'discovery'));
  return descriptor as StorageDescriptor;
}
