import { StorageConfigError } from '../../errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

const MIB = 1024 * 1024;
/** S3's smallest part (all parts but the last). */
const MIN_PART_BYTES = 5 * MIB;

/** S3 access keys. */
export interface S3Credentials {
  /** `AWS_ACCESS_KEY_ID`. */
  readonly accessKeyId: string;
  /** `AWS_SECRET_ACCESS_KEY`. */
  readonly secretAccessKey: string;
}

/** Options of {@link S3StorageAdapter}. */
export interface S3StorageAdapterOptions {
  /** The S3 endpoint (`S3_ENDPOINT_URL`), e.g. `http://minio:9000`. Buckets are addressed path-style. */
  readonly endpoint: string;
  /** The region to sign requests for (default `us-east-1`). */
  readonly region?: string;
  /** Access keys; `undefined` uses the AWS SDK's default credential chain (instance role, profile, …). */
  readonly credentials?: S3Credentials | undefined;
  /** Verify the TLS certificate of an `https` endpoint (default `true`; `S3_VERIFY_SSL=false` for self-signed). */
  readonly verifySsl?: boolean;
  /**
   * Which buckets `put` may create when they are missing: `true` any, `false` none (default, as HKube's
   * wrappers, which rely on buckets created at install), or a list of bucket names.
   */
  readonly createBuckets?: boolean | readonly string[];
  /** How transient failures are retried (default 4 retries, 100 ms doubling up to 5 s). */
  readonly retry?: Partial<RetryPolicy>;
  /** Payloads larger than this are uploaded in parts (default 64 MiB). */
  readonly multipartThresholdBytes?: number;
  /** Size of each uploaded part (default 16 MiB, at least 5 MiB; raised when a payload would need over 10 000 parts). */
  readonly partSizeBytes?: number;
  /** Parts uploaded at once (default 4). */
  readonly partConcurrency?: number;
  /** Keys asked for per ListObjectsV2 page (default 1000, S3's maximum). */
  readonly listPageSize?: number;
  /** How long to wait for a TCP connection to the endpoint, in ms (default 10 000). */
  readonly connectionTimeoutMs?: number;
  /**
   * How long a connection may stay silent (no byte sent or received) before the request fails and is
   * retried, in ms (default 60 000): a store that stops answering never hangs a task.
   */
  readonly idleTimeoutMs?: number;
}

/** {@link S3StorageAdapterOptions} checked, with the defaults applied. */
export interface ResolvedS3Options {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: S3Credentials | undefined;
  readonly verifySsl: boolean;
  readonly createBucket: (bucket: string) => boolean;
  readonly retry: RetryPolicy;
  readonly multipartThresholdBytes: number;
  readonly partSizeBytes: number;
  readonly partConcurrency: number;
  readonly listPageSize: number;
  readonly connectionTimeoutMs: number;
  readonly idleTimeoutMs: number;
}

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new StorageConfigError(`S3 option ${name} must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

/** Validates `options` and applies the defaults. Throws `StorageConfigError`. */
export function resolveS3Options(options: S3StorageAdapterOptions): ResolvedS3Options {
  let scheme: string;
  try {
    scheme = new URL(options.endpoint).protocol;
  } catch {
    scheme = '';
  }
  if (scheme !== 'http:' && scheme !== 'https:') throw new StorageConfigError(`the S3 endpoint must be an http:// or https:// URL, got ${JSON.stringify(options.endpoint)}`);
  const { credentials } = options;
  if (credentials !== undefined && (credentials.accessKeyId === '' || credentials.secretAccessKey === '')) {
    throw new StorageConfigError('S3 credentials need a non-empty access key id and secret access key');
  }
  const region = options.region ?? 'us-east-1';
  if (region === '') throw new StorageConfigError('the S3 region must not be empty');
  const chosen = options.createBuckets ?? false;
  const allowed = typeof chosen === 'boolean' ? undefined : new Set(chosen);
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  return {
    endpoint: options.endpoint,
    region,
    credentials,
    verifySsl: options.verifySsl ?? true,
    createBucket: allowed === undefined ? () => chosen === true : (bucket) => allowed.has(bucket),
    retry: {
      retries: count('retry.retries', retry.retries, DEFAULT_RETRY_POLICY.retries, 0),
      baseDelayMs: count('retry.baseDelayMs', retry.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs, 0),
      maxDelayMs: count('retry.maxDelayMs', retry.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs, 0),
    },
    multipartThresholdBytes: count('multipartThresholdBytes', options.multipartThresholdBytes, 64 * MIB, MIN_PART_BYTES),
    partSizeBytes: count('partSizeBytes', options.partSizeBytes, 16 * MIB, MIN_PART_BYTES),
    partConcurrency: count('partConcurrency', options.partConcurrency, 4, 1),
    listPageSize: Math.min(1000, count('listPageSize', options.listPageSize, 1000, 1)),
    connectionTimeoutMs: count('connectionTimeoutMs', options.connectionTimeoutMs, 10_000, 1),
    idleTimeoutMs: count('idleTimeoutMs', options.idleTimeoutMs, 60_000, 1),
  };
}
