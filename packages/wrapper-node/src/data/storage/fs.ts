import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { StorageIoError, StorageNotFoundError, StoragePathError, type StorageOperation } from '../errors.js';
import { validateStoragePath } from './path-rules.js';
import type { StorageAdapter, StoredObject, StoragePutData } from './types.js';

/** Options of {@link FsStorageAdapter}. */
export interface FsStorageAdapterOptions {
  /** The storage root (`BASE_FS_ADAPTER_DIRECTORY`, `/var/tmp/fs/storage` in HKube's wrappers). */
  readonly baseDirectory: string;
}

const TEMP_MARK = '.hkube-tmp-';
const TEMP_NAME = /\.hkube-tmp-[0-9a-f-]{36}$/;

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Rethrows the abort reason when `signal` fired, else wraps `error` for `operation`. */
function fail(error: unknown, path: string, operation: StorageOperation, signal: AbortSignal | undefined): never {
  if (signal?.aborted === true) throw signal.reason;
  if (error instanceof StoragePathError || error instanceof StorageNotFoundError || error instanceof StorageIoError) throw error;
  throw new StorageIoError(path, operation, { cause: error });
}

/** Writes every byte of `buffers` at the current position, looping over short writes (no copy). */
async function writeAll(handle: FileHandle, buffers: readonly Uint8Array[], signal: AbortSignal | undefined): Promise<void> {
  let pending = buffers.filter((buffer) => buffer.byteLength > 0);
  while (pending.length > 0) {
    signal?.throwIfAborted();
    const { bytesWritten } = await handle.writev(pending);
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const buffer of pending) {
      if (skip >= buffer.byteLength) {
        skip -= buffer.byteLength;
      } else {
        rest.push(skip === 0 ? buffer : buffer.subarray(skip));
        skip = 0;
      }
    }
    pending = rest;
  }
}

/**
 * Opens a new file exclusively, creating its directory only when it is missing: a task's directory
 * usually exists already, and `mkdir` on every write is one more trip to the thread pool per result.
 */
async function openInDirectory(file: string, directory: string): Promise<FileHandle> {
  try {
    return await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(directory, { recursive: true });
  return await open(file, 'wx');
}

/**
 * Storage on a local or mounted file system, laid out as HKube's `@hkube/fs-adapter`: the object at
 * `path` is the file `<baseDirectory>/<path>` holding the header bytes followed by the payload bytes.
 *
 * Unlike HKube's adapter (which appends when a header is given, corrupting re-written objects), `put`
 * writes a temporary file in the target directory and renames it over the target, so a re-put
 * replaces the object atomically and readers never see a half-written file. The header and payload
 * are written with one vectored write, without concatenating them. `get` returns the whole file as
 * `body` (no separate header): readers sniff for the header.
 *
 * Paths are checked by `validateStoragePath` and must resolve inside the base directory; symbolic
 * links inside the base directory are followed as the OS does.
 *
 * @example
 * ```ts
 * const storage = new FsStorageAdapter({ baseDirectory: '/var/tmp/fs/storage' });
 * await storage.put('local-hkube/job-1/task-1', encodeStored({ a: 1 }, getCodec('msgpack')));
 * const { body } = await storage.get('local-hkube/job-1/task-1');
 * ```
 */
export class FsStorageAdapter implements StorageAdapter {
  /** The absolute storage root. */
  readonly baseDirectory: string;

  constructor(options: FsStorageAdapterOptions) {
    this.baseDirectory = resolve(options.baseDirectory);
  }

  /** The absolute file name of `path`; throws `StoragePathError` for unsafe paths. */
  filePath(path: string): string {
    return this.resolvePath(path, false);
  }

  private resolvePath(path: string, allowEmpty: boolean): string {
    const segments = validateStoragePath(path, allowEmpty);
    const full = resolve(this.baseDirectory, ...segments);
    if (full !== this.baseDirectory && !full.startsWith(this.baseDirectory.endsWith(sep) ? this.baseDirectory : this.baseDirectory + sep)) {
      throw new StoragePathError(path, 'resolves outside the base directory');
    }
    if (!allowEmpty && full === this.baseDirectory) throw new StoragePathError(path, 'is the base directory');
    return full;
  }

  /** {@inheritDoc StorageAdapter.put} */
  async put(path: string, data: StoragePutData, signal?: AbortSignal): Promise<void> {
    const file = this.filePath(path);
    if (!(data.payload instanceof Uint8Array) || (data.header !== undefined && !(data.header instanceof Uint8Array))) {
      throw new TypeError('the header and payload must be Uint8Arrays');
    }
    const directory = dirname(file);
    const temp = join(directory, `.${basename(file)}${TEMP_MARK}${randomUUID()}`);
    let handle: FileHandle | undefined;
    let created = false;
    try {
      signal?.throwIfAborted();
      handle = await openInDirectory(temp, directory);
      created = true;
      await writeAll(handle, data.header === undefined ? [data.payload] : [data.header, data.payload], signal);
      await handle.close();
      handle = undefined;
      signal?.throwIfAborted();
      await rename(temp, file);
      created = false;
    } catch (error) {
      await handle?.close().catch(() => undefined);
      if (created) await rm(temp, { force: true }).catch(() => undefined);
      fail(error, path, 'put', signal);
    }
  }

  /** {@inheritDoc StorageAdapter.get} */
  async get(path: string, signal?: AbortSignal): Promise<StoredObject> {
    const file = this.filePath(path);
    try {
      const body = await readFile(file, signal === undefined ? undefined : { signal });
      return { body };
    } catch (error) {
      if (isMissing(error)) throw new StorageNotFoundError(path, { cause: error });
      fail(error, path, 'get', signal);
    }
  }

  /** {@inheritDoc StorageAdapter.exists} */
  async exists(path: string, signal?: AbortSignal): Promise<boolean> {
    const file = this.filePath(path);
    try {
      signal?.throwIfAborted();
      return (await stat(file)).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      fail(error, path, 'exists', signal);
    }
  }

  /** {@inheritDoc StorageAdapter.delete} */
  async delete(path: string, signal?: AbortSignal): Promise<void> {
    const file = this.filePath(path);
    try {
      signal?.throwIfAborted();
      await rm(file, { force: true });
    } catch (error) {
      fail(error, path, 'delete', signal);
    }
  }

  /** {@inheritDoc StorageAdapter.list} */
  async list(prefix: string, signal?: AbortSignal): Promise<string[]> {
    const root = this.resolvePath(prefix, true);
    const found: string[] = [];
    const walk = async (directory: string, relative: string): Promise<void> => {
      signal?.throwIfAborted();
      let entries;
      try {
        entries = await readdir(directory, { withFileTypes: true });
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      for (const entry of entries) {
        const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) await walk(join(directory, entry.name), name);
        else if (entry.isFile() && !TEMP_NAME.test(entry.name)) found.push(name);
      }
    };
    try {
      await walk(root, prefix);
    } catch (error) {
      fail(error, prefix, 'list', signal);
    }
    return found.sort();
  }

  /** Nothing to release for the file system. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
