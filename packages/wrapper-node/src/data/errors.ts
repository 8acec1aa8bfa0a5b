/**
 * Typed failures of the data plane: storage adapters, the input resolver and the output writer.
 *
 * Every class extends {@link HkubeError} from `@hkube-ts/protocol`, carries a stable `code` and the
 * ids or paths involved, and keeps the underlying error as `cause`.
 *
 * @module
 */
import { HkubeError, type HkubeErrorOptions } from '@hkube-ts/protocol';

/** Codes of the failures reported by the data plane. */
export type DataPlaneErrorCode =
  | 'STORAGE_PATH_INVALID'
  | 'STORAGE_NOT_FOUND'
  | 'STORAGE_IO_FAILED'
  | 'STORAGE_BUCKET_NOT_FOUND'
  | 'STORAGE_ACCESS_DENIED'
  | 'STORAGE_CONFIG_INVALID'
  | 'STORAGE_ID_INVALID'
  | 'STORED_OBJECT_INVALID'
  | 'OBJECT_PATH_INVALID'
  | 'INPUT_STORAGE_KEY_MISSING'
  | 'INPUT_LINK_INVALID'
  | 'INPUT_FETCH_FAILED'
  | 'INPUT_PATH_INVALID'
  | 'PEER_FETCH_FAILED'
  | 'OUTPUT_ENCODE_FAILED';

/** Base class of every data-plane failure. */
export abstract class DataPlaneError extends HkubeError {
  abstract override readonly code: DataPlaneErrorCode;
}

function causeText(cause: unknown): string {
  return cause instanceof Error ? `: ${cause.message}` : '';
}

/** Base class of the failures of a storage adapter; names the object path involved. */
export abstract class StorageError extends DataPlaneError {
  /** The storage path (`<bucket>/<key…>`) the operation was about. */
  readonly path: string;

  protected constructor(path: string, message: string, options: HkubeErrorOptions = {}) {
    super(message, options);
    this.path = path;
  }
}

/**
 * A storage path that cannot be used: empty, absolute, with `.`/`..`/empty segments, a NUL byte or a
 * backslash, or one that would resolve outside the adapter's base directory.
 */
export class StoragePathError extends StorageError {
  readonly code = 'STORAGE_PATH_INVALID' as const;
  /** Why the path was rejected. */
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(path, `invalid storage path ${JSON.stringify(path)}: ${reason}`);
    this.reason = reason;
  }
}

/** The object does not exist in storage. */
export class StorageNotFoundError extends StorageError {
  readonly code = 'STORAGE_NOT_FOUND' as const;

  constructor(path: string, options: HkubeErrorOptions = {}) {
    super(path, `storage object not found: ${path}`, options);
  }
}

/** Storage operations, as named in {@link StorageIoError.operation}. */
export type StorageOperation = 'put' | 'get' | 'exists' | 'delete' | 'list';

/** Any other failure of the storage back end (permissions, disk full, network, …); see `cause`. */
export class StorageIoError extends StorageError {
  readonly code = 'STORAGE_IO_FAILED' as const;
  /** The operation that failed. */
  readonly operation: StorageOperation;

  constructor(path: string, operation: StorageOperation, options: HkubeErrorOptions = {}) {
    super(path, `storage ${operation} failed for ${path}${causeText(options.cause)}`, options);
    this.operation = operation;
  }
}

/**
 * The S3 bucket of a path does not exist (S3 `NoSuchBucket`). HKube creates its buckets when the
 * cluster is installed; the S3 adapter creates only the buckets it is told to (`createBuckets`).
 */
export class StorageBucketNotFoundError extends StorageError {
  readonly code = 'STORAGE_BUCKET_NOT_FOUND' as const;
  /** The missing bucket (the path's first segment). */
  readonly bucket: string;
  /** The operation that found it missing. */
  readonly operation: StorageOperation;

  constructor(path: string, bucket: string, operation: StorageOperation, options: HkubeErrorOptions = {}) {
    super(path, `storage ${operation} failed for ${path}: the bucket ${JSON.stringify(bucket)} does not exist (NoSuchBucket)`, options);
    this.bucket = bucket;
    this.operation = operation;
  }
}

/**
 * The storage back end refused the credentials or the request (S3 `InvalidAccessKeyId`,
 * `SignatureDoesNotMatch`, `AccessDenied`, HTTP 403): check `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`.
 */
export class StorageAccessDeniedError extends StorageError {
  readonly code = 'STORAGE_ACCESS_DENIED' as const;
  /** The operation that was refused. */
  readonly operation: StorageOperation;
  /** The back end's error code (`InvalidAccessKeyId`, `SignatureDoesNotMatch`, `AccessDenied`, …). */
  readonly serviceCode: string;

  constructor(path: string, operation: StorageOperation, serviceCode: string, options: HkubeErrorOptions = {}) {
    super(path, `storage ${operation} of ${path} was refused (${serviceCode}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`, options);
    this.operation = operation;
    this.serviceCode = serviceCode;
  }
}

/** A storage back end that cannot be set up: an unknown `DEFAULT_STORAGE`, a bad S3 endpoint, … */
export class StorageConfigError extends DataPlaneError {
  readonly code = 'STORAGE_CONFIG_INVALID' as const;
  /** What is wrong. */
  readonly reason: string;

  constructor(reason: string, options: HkubeErrorOptions = {}) {
    super(`invalid storage configuration: ${reason}${causeText(options.cause)}`, options);
    this.reason = reason;
  }
}

/** A stored object whose bytes could not be decoded (broken header, wrong encoding, truncated). */
export class StoredObjectDecodeError extends DataPlaneError {
  readonly code = 'STORED_OBJECT_INVALID' as const;
  /** The storage path of the object. */
  readonly path: string;

  constructor(path: string, options: HkubeErrorOptions = {}) {
    super(`cannot decode the stored object ${path}${causeText(options.cause)}`, options);
    this.path = path;
  }
}

/**
 * A dotted path that cannot be set: a `__proto__`, `constructor` or `prototype` segment (prototype
 * pollution), an empty path, or a path that runs through a value that is not a plain object or array.
 */
export class ObjectPathError extends DataPlaneError {
  readonly code = 'OBJECT_PATH_INVALID' as const;
  /** The dotted path. */
  readonly path: string;
  /** Why it was rejected. */
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`invalid object path ${JSON.stringify(path)}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/** Base class of the failures to turn `initialize`'s `input` + `storage` into values. */
export abstract class InputResolutionError extends DataPlaneError {
  /** The storage key (`"$$<key>"` without the `$$`) being resolved. */
  readonly key: string;

  protected constructor(key: string, message: string, options: HkubeErrorOptions = {}) {
    super(message, options);
    this.key = key;
  }
}

/** `input` references `"$$<key>"` but `storage` has no entry for `key` (HKube: `unable to find storage key`). */
export class StorageKeyMissingError extends InputResolutionError {
  readonly code = 'INPUT_STORAGE_KEY_MISSING' as const;
  /** The `flatInput` path of the reference. */
  readonly inputPath: string;

  constructor(key: string, inputPath: string) {
    super(key, `unable to find storage key ${JSON.stringify(key)} (referenced at input path ${JSON.stringify(inputPath)})`);
    this.inputPath = inputPath;
  }
}

/**
 * A `storage[key]` entry with an unusable shape: neither `storageInfo.path` nor a peer
 * (`discovery` + `taskId`/`tasks`), or fields of the wrong type. HKube silently yields `undefined` here.
 */
export class InvalidStorageLinkError extends InputResolutionError {
  readonly code = 'INPUT_LINK_INVALID' as const;
  /** Index of the link inside an array link, if it is one. */
  readonly index: number | undefined;
  /** What is wrong with the link. */
  readonly reason: string;

  constructor(key: string, index: number | undefined, reason: string) {
    const where = index === undefined ? `storage[${JSON.stringify(key)}]` : `storage[${JSON.stringify(key)}][${index}]`;
    super(key, `invalid link ${where}: ${reason}`);
    this.index = index;
    this.reason = reason;
  }
}

/** The value behind a link could be fetched neither from the peer nor from storage; see `cause`. */
export class InputFetchError extends InputResolutionError {
  readonly code = 'INPUT_FETCH_FAILED' as const;
  /** The storage path that was read (or would have been), if the link has one. */
  readonly storagePath: string | undefined;
  /** The producer's task id, for peer links. */
  readonly taskId: string | undefined;

  constructor(key: string, where: { storagePath?: string | undefined; taskId?: string | undefined }, options: HkubeErrorOptions = {}) {
    const target = where.storagePath ?? `task ${where.taskId ?? '?'}`;
    super(key, `cannot fetch input ${JSON.stringify(key)} from ${target}${causeText(options.cause)}`, options);
    this.storagePath = where.storagePath;
    this.taskId = where.taskId;
  }
}

/** A `flatInput` path where the resolved value cannot be placed (see `cause`, an {@link ObjectPathError}). */
export class InputPathError extends InputResolutionError {
  readonly code = 'INPUT_PATH_INVALID' as const;
  /** The `flatInput` path. */
  readonly inputPath: string;

  constructor(key: string, inputPath: string, options: HkubeErrorOptions = {}) {
    super(key, `cannot place input ${JSON.stringify(key)} at ${JSON.stringify(inputPath)}${causeText(options.cause)}`, options);
    this.inputPath = inputPath;
  }
}

/**
 * A peer data server did not deliver a task's result (`notAvailable`, timeout, undecodable reply, …).
 * Peer failures are not fatal: the resolver falls back to storage. Produced by {@link PeerClient}s.
 */
export class PeerFetchError extends DataPlaneError {
  readonly code = 'PEER_FETCH_FAILED' as const;
  /** The peer's `host:port`. */
  readonly peer: string;
  /** The task that was asked for. */
  readonly taskId: string;
  /** The peer's error code (`notAvailable`, `unknown`, `RequestTimeout`, …), when it sent one. */
  readonly peerCode: string | undefined;

  constructor(peer: string, taskId: string, peerCode: string | undefined, options: HkubeErrorOptions = {}) {
    super(`peer ${peer} did not deliver task ${taskId}${peerCode === undefined ? '' : ` (${peerCode})`}${causeText(options.cause)}`, options);
    this.peer = peer;
    this.taskId = taskId;
    this.peerCode = peerCode;
  }
}

/** The algorithm's result cannot be encoded with the storage encoding (e.g. a `BigInt`); `cause` is the `EncodeError`. */
export class OutputEncodeError extends DataPlaneError {
  readonly code = 'OUTPUT_ENCODE_FAILED' as const;
  /** The job id. */
  readonly jobId: string;
  /** The task whose result failed. */
  readonly taskId: string;

  constructor(jobId: string, taskId: string, options: HkubeErrorOptions = {}) {
    super(`cannot encode the result of task ${taskId} (job ${jobId})${causeText(options.cause)}`, options);
    this.jobId = jobId;
    this.taskId = taskId;
  }
}
