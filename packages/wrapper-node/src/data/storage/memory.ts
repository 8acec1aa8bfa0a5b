import { StorageNotFoundError } from '../errors.js';
import { validateStoragePath } from './path-rules.js';
import type { StorageAdapter, StoredObject, StoragePutData } from './types.js';

/** Options of {@link MemoryStorageAdapter}. */
export interface MemoryStorageAdapterOptions {
  /**
   * How `get` returns an object: `'separate'` (default) gives the header apart from a payload-only
   * `body`, as S3 does; `'inline'` gives the whole object (header + payload) as `body`, as fs does.
   */
  readonly layout?: 'separate' | 'inline';
  /**
   * Copy bytes on `put` and on `get` (default `true`), so that the stored object behaves like a file:
   * later changes to the caller's buffers, or to a value decoded from a `get`, do not reach it. With
   * `false` the adapter keeps and returns the caller's buffers (zero-copy); callers must then never
   * modify a buffer after `put` or one obtained from `get`.
   */
  readonly copy?: boolean;
}

interface Entry {
  readonly header: Buffer | undefined;
  readonly payload: Buffer;
}

function view(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function copyOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes);
}

/**
 * Storage in a `Map`, for tests and the local emulator. Paths follow the same rules as the other
 * adapters (`validateStoragePath`). By default bytes are copied in and out (see
 * {@link MemoryStorageAdapterOptions.copy}).
 *
 * @example
 * ```ts
 * const storage = new MemoryStorageAdapter({ layout: 'inline' });
 * await storage.put('local-hkube/job-1/task-1', encodeStored('hi', getCodec('msgpack')));
 * ```
 */
export class MemoryStorageAdapter implements StorageAdapter {
  private readonly objects = new Map<string, Entry>();
  private readonly layout: 'separate' | 'inline';
  private readonly copy: boolean;

  constructor(options: MemoryStorageAdapterOptions = {}) {
    this.layout = options.layout ?? 'separate';
    this.copy = options.copy ?? true;
  }

  /** Number of stored objects. */
  get size(): number {
    return this.objects.size;
  }

  /** {@inheritDoc StorageAdapter.put} */
  put(path: string, data: StoragePutData, signal?: AbortSignal): Promise<void> {
    return this.run(signal, () => {
      validateStoragePath(path);
      const take = this.copy ? copyOf : view;
      const header = data.header === undefined || data.header.byteLength === 0 ? undefined : take(data.header);
      this.objects.set(path, { header, payload: take(data.payload) });
    });
  }

  /** {@inheritDoc StorageAdapter.get} */
  get(path: string, signal?: AbortSignal): Promise<StoredObject> {
    return this.run(signal, () => {
      validateStoragePath(path);
      const entry = this.objects.get(path);
      if (entry === undefined) throw new StorageNotFoundError(path);
      if (this.layout === 'inline') {
        const body = entry.header === undefined ? entry.payload : Buffer.concat([entry.header, entry.payload]);
        return { body: this.copy && body === entry.payload ? copyOf(body) : body };
      }
      const take = this.copy ? copyOf : view;
      return entry.header === undefined ? { body: take(entry.payload) } : { header: take(entry.header), body: take(entry.payload) };
    });
  }

  /** {@inheritDoc StorageAdapter.exists} */
  exists(path: string, signal?: AbortSignal): Promise<boolean> {
    return this.run(signal, () => {
      validateStoragePath(path);
      return this.objects.has(path);
    });
  }

  /** {@inheritDoc StorageAdapter.delete} */
  delete(path: string, signal?: AbortSignal): Promise<void> {
    return this.run(signal, () => {
      validateStoragePath(path);
      this.objects.delete(path);
    });
  }

  /** {@inheritDoc StorageAdapter.list} */
  list(prefix: string, signal?: AbortSignal): Promise<string[]> {
    return this.run(signal, () => {
      validateStoragePath(prefix, true);
      const folder = prefix === '' ? '' : `${prefix}/`;
      return [...this.objects.keys()].filter((path) => path.startsWith(folder)).sort();
    });
  }

  /** Drops every object. */
  close(): Promise<void> {
    this.objects.clear();
    return Promise.resolve();
  }

  /** Runs `action` as a promise: an abort or a throw becomes a rejection. */
  private run<T>(signal: AbortSignal | undefined, action: () => T): Promise<T> {
    return new Promise<T>((resolve) => {
      signal?.throwIfAborted();
      resolve(action());
    });
  }
}
