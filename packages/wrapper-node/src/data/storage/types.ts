/**
 * The storage back-end contract shared by the fs, memory and S3 adapters.
 *
 * A path is `<bucket>/<key…>` with `/` separators, e.g. `local-hkube/<jobId>/<taskId>`: fs maps it to
 * `<base>/<path>`, S3 to bucket = first segment, key = the rest. An object is an optional 8-byte `HK`
 * header plus a payload; how the header is kept is the adapter's business (fs: in the file before
 * the payload; S3: base64 in the object metadata `header`, the body being the payload).
 *
 * @module
 */

/** What {@link StorageAdapter.put} writes. */
export interface StoragePutData {
  /** The 8-byte `HK` header; absent for headerless objects (flowInput, `result.json`). */
  readonly header?: Uint8Array | undefined;
  /** The payload. Adapters never modify it; some keep a reference (see each adapter). */
  readonly payload: Uint8Array;
}

/** What {@link StorageAdapter.get} returns. */
export interface StoredObject {
  /**
   * The header, when the back end keeps it apart from the data (S3 metadata). Absent when the header,
   * if any, is inside `body` (fs) — the reader must then sniff for it.
   */
  readonly header?: Uint8Array | undefined;
  /** The object's bytes: the whole file for fs, the payload for S3. */
  readonly body: Buffer;
}

/**
 * A storage back end. All methods reject with the typed errors of `data/errors.ts`:
 * `StoragePathError` for a path that is not a safe relative path, `StorageNotFoundError` from `get` on
 * a missing object, `StorageIoError` (with `cause`) for anything else. An aborted `signal` rejects with
 * `signal.reason`.
 */
export interface StorageAdapter {
  /**
   * Writes an object, replacing any previous one at `path` as a whole (never appending). Parent
   * "folders" are created as needed.
   */
  put(path: string, data: StoragePutData, signal?: AbortSignal): Promise<void>;
  /** Reads an object. Rejects with `StorageNotFoundError` when it does not exist. */
  get(path: string, signal?: AbortSignal): Promise<StoredObject>;
  /** Whether an object exists at `path`. */
  exists(path: string, signal?: AbortSignal): Promise<boolean>;
  /** Deletes an object; deleting a missing object is not an error. */
  delete(path: string, signal?: AbortSignal): Promise<void>;
  /**
   * Paths of all objects under the folder `prefix` (e.g. `local-hkube/<jobId>`), sorted; `''` lists
   * everything. A missing folder yields `[]`.
   */
  list(prefix: string, signal?: AbortSignal): Promise<string[]>;
  /** Releases the adapter's resources. Further calls are not supported. */
  close(): Promise<void>;
}
