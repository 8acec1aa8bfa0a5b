/**
 * The data plane of the Node wrapper: storage adapters, HKube's object paths, the decoded-input
 * cache, input resolution (`$$` references) and output writing (data-plane spec §2).
 *
 * @module
 */
export * from './errors.js';
export type * from './types.js';
export type { StorageAdapter, StoragePutData, StoredObject } from './storage/types.js';
export { validateStoragePath } from './storage/path-rules.js';
export { FsStorageAdapter, type FsStorageAdapterOptions } from './storage/fs.js';
export { MemoryStorageAdapter, type MemoryStorageAdapterOptions } from './storage/memory.js';
export * from './storage/s3/index.js';
export {
  InputCache,
  storageCacheMaxBytes,
  DEFAULT_STORAGE_MAX_CACHE_SIZE_MB,
  DEFAULT_INPUT_CACHE_MAX_ENTRIES,
  type InputCacheOptions,
  type CacheHit,
} from './cache.js';
export { getPath, setPath, assertWritablePath, copyOnWrite, flatten, type CopyOnWriteTree } from './object-path.js';
export type { PeerClient, PeerFetchResult, PeerFetchSuccess, PeerFetchFailure } from './peer.js';
export { createLimiter, type Limiter } from './limit.js';
export { readStoredValue, readStoredObject, decodeStoredObject, type ReadStoredValueOptions, type DecodedObject } from './read.js';
export { resolveInput, DEFAULT_RESOLVE_CONCURRENCY, type ResolveInputTask, type ResolveInputOptions } from './resolver.js';
export {
  writeOutput,
  prepareOutput,
  buildMetadata,
  writeCodeApiInput,
  type OutputTask,
  type WriteOptions,
  type PreparedOutput,
  type CodeApiStoredInput,
  type WriteCodeApiInputOptions,
} from './output.js';
export * from './peer/index.js';
