/**
 * How the S3 adapter reads a failure of the AWS SDK: which ones are worth retrying and which typed
 * storage error the caller gets.
 */
import {
  StorageAccessDeniedError, StorageBucketNotFoundError, StorageIoError, StorageNotFoundError, StoragePathError, type StorageOperation,
} from '../../errors.js';

/** The parts of an SDK (`S3ServiceException`) or Node network error the adapter looks at. */
interface ErrorFacts {
  readonly name: string | undefined;
  readonly code: string | undefined;
  readonly status: number | undefined;
}

function facts(error: unknown): ErrorFacts {
  if (typeof error !== 'object' || error === null) return { name: undefined, code: undefined, status: undefined };
  const record = error as { name?: unknown; code?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const code = typeof record.Code === 'string' ? record.Code : typeof record.code === 'string' ? record.code : undefined;
  const status = record.$metadata?.httpStatusCode;
  return { name: typeof record.name === 'string' ? record.name : undefined, code, status: typeof status === 'number' ? status : undefined };
}

const THROTTLING = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestTimeout', 'RequestTimeoutException', 'InternalError', 'ServiceUnavailable']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_STREAM_PREMATURE_CLOSE']);
const DENIED = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'InvalidToken', 'ExpiredToken']);

/** A download whose body ended before `Content-Length` bytes (a dropped connection): retried. */
export class TruncatedBodyError extends Error {
  override readonly name = 'TruncatedBodyError';
  constructor(received: number, expected: number) {
    super(`the object body delivered ${received} bytes where Content-Length said ${expected}`);
  }
}

/**
 * Whether `error` is worth another attempt: HTTP 5xx and 429, S3 throttling codes, socket resets and
 * timeouts, a truncated body. Client errors (4xx: missing object, refused credentials) are not.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof TruncatedBodyError) return true;
  const { name, code, status } = facts(error);
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (name !== undefined && (THROTTLING.has(name) || name === 'TimeoutError')) return true;
  if (code !== undefined && (NETWORK.has(code) || THROTTLING.has(code))) return true;
  // Errors thrown by the HTTP handler before any response carry no status.
  return status === undefined && error instanceof Error && /socket hang up|ECONNRESET|EPIPE/.test(error.message);
}

/** Whether `error` says the bucket does not exist. */
export function isNoSuchBucket(error: unknown): boolean {
  const { name, code } = facts(error);
  return name === 'NoSuchBucket' || code === 'NoSuchBucket';
}

/** Whether `error` is a 404 about the object (not the bucket): `NoSuchKey`, or a bare `NotFound` from HEAD. */
export function isMissingObject(error: unknown): boolean {
  const { name, status } = facts(error);
  return !isNoSuchBucket(error) && (name === 'NoSuchKey' || name === 'NotFound' || status === 404);
}

/**
 * The typed storage error for a failed `operation` on `path` (the abort reason when `signal` fired):
 * `StorageNotFoundError` for a missing object, `StorageBucketNotFoundError`, `StorageAccessDeniedError`
 * for refused credentials or a 403, else `StorageIoError` with the SDK error as `cause`.
 */
export function storageFailure(error: unknown, path: string, bucket: string, operation: StorageOperation, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted === true) return signal.reason;
  if (
    error instanceof StoragePathError || error instanceof StorageNotFoundError || error instanceof StorageIoError ||
    error instanceof StorageBucketNotFoundError || error instanceof StorageAccessDeniedError
  ) return error;
  if (isNoSuchBucket(error)) return new StorageBucketNotFoundError(path, bucket, operation, { cause: error });
  const { name, code, status } = facts(error);
  const serviceCode = name !== undefined && DENIED.has(name) ? name : code !== undefined && DENIED.has(code) ? code : status === 403 ? (name ?? 'Forbidden') : undefined;
  if (serviceCode !== undefined) return new StorageAccessDeniedError(path, operation, serviceCode, { cause: error });
  if (operation === 'get' && isMissingObject(error)) return new StorageNotFoundError(path, { cause: error });
  return new StorageIoError(path, operation, { cause: error });
}
