import { decodeStoredBlob, decodeStoredPayload, type Codec } from '@hkube-ts/protocol';
import { StoredObjectDecodeError } from './errors.js';
import type { StorageAdapter, StoredObject } from './storage/types.js';

/** Dependencies of {@link readStoredValue}. */
export interface ReadStoredValueOptions {
  /** The storage back end. */
  readonly storage: StorageAdapter;
  /** The cluster's `STORAGE_ENCODING`, used for headerless objects and headers that name no codec. */
  readonly codec: Codec;
  /** Cancels the read. */
  readonly signal?: AbortSignal | undefined;
}

/** A decoded stored object and its size in bytes (as stored, header included when inline). */
export interface DecodedObject {
  /** The decoded value (raw objects are returned as their bytes). */
  readonly value: unknown;
  /** Byte length of the object as returned by the adapter (header + body). */
  readonly size: number;
}

/**
 * Decodes an object as returned by {@link StorageAdapter.get}: with a separate header (S3 metadata)
 * the body is the payload; otherwise the body is sniffed for a leading `HK` header (fs, v1 worker)
 * and decoded whole when it has none (flowInput, `result.json`). The payload is decoded with the codec
 * that header byte 3 names, else `codec`. Throws `StoredObjectDecodeError`.
 */
export function decodeStoredObject(path: string, object: StoredObject, codec: Codec): DecodedObject {
  const header = object.header;
  const result =
    header !== undefined && header.byteLength > 0
      ? decodeStoredPayload(object.body, header, codec)
      : decodeStoredBlob(object.body, codec);
  if (!result.ok) throw new StoredObjectDecodeError(path, { cause: result.error });
  return { value: result.value, size: object.body.byteLength + (header?.byteLength ?? 0) };
}

/**
 * Reads and decodes the object at `path` (a Code-API algorithm result's `storageInfo.path`, a
 * sub-pipeline's `result.json`, …). Headered and headerless objects are both accepted.
 *
 * Rejects with the adapter's errors (`StorageNotFoundError`, `StorageIoError`, `StoragePathError`) or
 * `StoredObjectDecodeError`.
 *
 * @example
 * ```ts
 * const value = await readStoredValue(response.storageInfo.path, { storage, codec });
 * ```
 */
export async function readStoredValue(path: string, options: ReadStoredValueOptions): Promise<unknown> {
  return (await readStoredObject(path, options)).value;
}

/** Like {@link readStoredValue}, also returning the object's size (for the input cache). */
export async function readStoredObject(path: string, options: ReadStoredValueOptions): Promise<DecodedObject> {
  const object = await options.storage.get(path, options.signal);
  return decodeStoredObject(path, object, options.codec);
}
