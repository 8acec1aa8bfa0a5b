import type * as S3Sdk from '@aws-sdk/client-s3';
import { StorageConfigError, type StorageOperation } from '../../errors.js';
import type { StorageAdapter, StoredObject, StoragePutData } from '../types.js';
import { readBody } from './body.js';
import { isMissingObject, isNoSuchBucket, storageFailure } from './failures.js';
import { uploadInParts } from './multipart.js';
import { resolveS3Options, type ResolvedS3Options, type S3StorageAdapterOptions } from './options.js';
import { folderLocation, objectLocation } from './paths.js';
import { withRetries } from './retry.js';

/** The metadata key of the header (HTTP `x-amz-meta-header`), as HKube's S3 adapters use it. */
const HEADER_METADATA = 'header';

/** The loaded SDK and the client built from it. */
interface Connection {
  readonly sdk: typeof S3Sdk;
  readonly client: S3Sdk.S3Client;
}

async function connect(options: ResolvedS3Options): Promise<Connection> {
  let sdk: typeof S3Sdk;
  try {
    sdk = await import('@aws-sdk/client-s3');
  } catch (error) {
    throw new StorageConfigError('DEFAULT_STORAGE=s3 needs the package @aws-sdk/client-s3', { cause: error });
  }
  const httpsAgent = options.verifySsl ? undefined : new (await import('node:https')).Agent({ rejectUnauthorized: false });
  const client = new sdk.S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: true,
    // A fresh object: the SDK writes bookkeeping into the credentials it is given (frozen objects throw).
    ...(options.credentials === undefined ? {} : { credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: options.credentials.secretAccessKey } }),
    // The adapter retries itself (bounded, abortable, also around body reads).
    maxAttempts: 1,
    // S3-compatible stores (MinIO, Ceph, s3rver) do not all accept the SDK's default CRC trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: options.connectionTimeoutMs, socketTimeout: options.idleTimeoutMs, ...(httpsAgent === undefined ? {} : { httpsAgent }) },
  });
  return { sdk, client };
}

function headerFrom(metadata: Record<string, string> | undefined): Buffer | undefined {
  const value = metadata?.[HEADER_METADATA];
  if (value === undefined || value === '') return undefined;
  const header = Buffer.from(value, 'base64');
  return header.byteLength === 0 ? undefined : header;
}

/**
 * Storage on S3 or an S3-compatible store (MinIO, Ceph), laid out as HKube's `@hkube/s3-adapter`:
 * the first path segment is the bucket, the rest the key (`local-hkube/<jobId>/<taskId>`); the
 * 8-byte header is kept base64 in the user metadata `header` and the body is the payload only
 * (data-plane §2.2). Objects written with the header inline or without one read back as they are
 * (the reader sniffs).
 *
 * The AWS SDK is imported on first use, so algorithms on fs never load it. Transient failures (5xx,
 * throttling, connection resets, truncated bodies) are retried with exponential back-off (see
 * {@link RetryPolicy}); an aborted signal stops at once. Failures are typed: `StorageNotFoundError`,
 * `StorageBucketNotFoundError`, `StorageAccessDeniedError`, `StoragePathError` (bad bucket name, no
 * key), `StorageIoError`. A missing bucket is created on `put` only when `createBuckets` allows it.
 *
 * Payloads above `multipartThresholdBytes` (64 MiB) go up in parts that are views of the payload;
 * downloads are read into one buffer of `Content-Length` bytes.
 *
 * @example
 * ```ts
 * const storage = createS3StorageAdapter({
 *   endpoint: 'http://127.0.0.1:9000',
 *   credentials: { accessKeyId: 'minio', secretAccessKey: 'minio123' },
 *   createBuckets: ['local-hkube'],
 * });
 * await storage.put('local-hkube/job-1/task-1', encodeStored({ a: 1 }, getCodec('msgpack')));
 * const { header, body } = await storage.get('local-hkube/job-1/task-1');
 * await storage.close();
 * ```
 */
export class S3StorageAdapter implements StorageAdapter {
  readonly #options: ResolvedS3Options;
  #connection: Promise<Connection> | undefined;
  /** Buckets this adapter created or saw created, so a concurrent put does not create them twice. */
  readonly #creating = new Map<string, Promise<void>>();
  #closed = false;

  /** @throws {StorageConfigError} for invalid options. */
  constructor(options: S3StorageAdapterOptions) {
    this.#options = resolveS3Options(options);
  }

  /** The endpoint requests go to. */
  get endpoint(): string {
    return this.#options.endpoint;
  }

  /** {@inheritDoc StorageAdapter.put} */
  async put(path: string, data: StoragePutData, signal?: AbortSignal): Promise<void> {
    const { bucket, key } = objectLocation(path);
    if (!(data.payload instanceof Uint8Array) || (data.header !== undefined && !(data.header instanceof Uint8Array))) {
      throw new TypeError('the header and payload must be Uint8Arrays');
    }
    const header = data.header;
    const metadata = header === undefined || header.byteLength === 0 ? undefined : { [HEADER_METADATA]: Buffer.from(header.buffer, header.byteOffset, header.byteLength).toString('base64') };
    const { payload } = data;
    await this.#run(path, bucket, 'put', signal, async ({ sdk, client }) => {
      const write = (): Promise<unknown> =>
        payload.byteLength > this.#options.multipartThresholdBytes
          ? uploadInParts({ sdk, client, bucket, key, payload, metadata, partSizeBytes: this.#options.partSizeBytes, partConcurrency: this.#options.partConcurrency, retry: this.#options.retry, signal })
          : withRetries(() => client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: payload, ContentLength: payload.byteLength, Metadata: metadata }), { abortSignal: signal }), this.#options.retry, signal);
      try {
        await write();
      } catch (error) {
        if (!isNoSuchBucket(error) || !this.#options.createBucket(bucket)) throw error;
        await this.#createBucket({ sdk, client }, bucket, signal);
        await write();
      }
    });
  }

  /** {@inheritDoc StorageAdapter.get} */
  async get(path: string, signal?: AbortSignal): Promise<StoredObject> {
    const { bucket, key } = objectLocation(path);
    return await this.#run(path, bucket, 'get', signal, ({ sdk, client }) =>
      withRetries(async () => {
        const response = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
        const body = await readBody(response.Body, response.ContentLength, signal);
        const header = headerFrom(response.Metadata);
        return header === undefined ? { body } : { header, body };
      }, this.#options.retry, signal),
    );
  }

  /** Whether an object exists at `path`. A missing bucket counts as a missing object (HEAD has no error body to tell them apart). */
  async exists(path: string, signal?: AbortSignal): Promise<boolean> {
    const { bucket, key } = objectLocation(path);
    return await this.#run(path, bucket, 'exists', signal, async ({ sdk, client }) => {
      try {
        await withRetries(() => client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }), this.#options.retry, signal);
        return true;
      } catch (error) {
        if (isMissingObject(error) || isNoSuchBucket(error)) return false;
        throw error;
      }
    });
  }

  /** {@inheritDoc StorageAdapter.delete} */
  async delete(path: string, signal?: AbortSignal): Promise<void> {
    const { bucket, key } = objectLocation(path);
    await this.#run(path, bucket, 'delete', signal, async ({ sdk, client }) => {
      try {
        await withRetries(() => client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }), this.#options.retry, signal);
      } catch (error) {
        if (!isNoSuchBucket(error)) throw error;
      }
    });
  }

  /**
   * Paths of all objects under the folder `prefix` (e.g. `local-hkube/<jobId>`), sorted. `''` lists every
   * bucket the credentials can see; a missing bucket or folder yields `[]`.
   */
  async list(prefix: string, signal?: AbortSignal): Promise<string[]> {
    const folder = folderLocation(prefix);
    return await this.#run(prefix, folder?.bucket ?? '', 'list', signal, async (connection) => {
      if (folder !== undefined) return (await this.#listBucket(connection, folder.bucket, folder.key, signal)).sort();
      const { sdk, client } = connection;
      const buckets = await withRetries(() => client.send(new sdk.ListBucketsCommand({}), { abortSignal: signal }), this.#options.retry, signal);
      const found: string[] = [];
      for (const { Name } of buckets.Buckets ?? []) {
        if (Name !== undefined) found.push(...(await this.#listBucket(connection, Name, '', signal)));
      }
      return found.sort();
    });
  }

  /** Destroys the SDK client (its sockets). Later calls reject with `StorageConfigError`. */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = await this.#connection?.catch(() => undefined);
    connection?.client.destroy();
  }

  async #listBucket({ sdk, client }: Connection, bucket: string, keyPrefix: string, signal: AbortSignal | undefined): Promise<string[]> {
    const paths: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await withRetries(
          () => client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix === '' ? undefined : keyPrefix, ContinuationToken: token, MaxKeys: this.#options.listPageSize }), { abortSignal: signal }),
          this.#options.retry,
          signal,
        );
        for (const { Key } of page.Contents ?? []) {
          // Zero-byte "folder" markers made by consoles are not objects.
          if (Key !== undefined && !Key.endsWith('/')) paths.push(`${bucket}/${Key}`);
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
    } catch (error) {
      if (isNoSuchBucket(error)) return [];
      throw error;
    }
    return paths;
  }

  #createBucket({ sdk, client }: Connection, bucket: string, signal: AbortSignal | undefined): Promise<void> {
    let creating = this.#creating.get(bucket);
    if (creating === undefined) {
      creating = withRetries(async () => {
        try {
          await client.send(new sdk.CreateBucketCommand({ Bucket: bucket }), { abortSignal: signal });
        } catch (error) {
          const name = (error as { name?: unknown }).name;
          if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
        }
      }, this.#options.retry, signal);
      this.#creating.set(bucket, creating);
      // A failed creation may be retried by a later put.
      creating.catch(() => this.#creating.delete(bucket));
    }
    return creating;
  }

  /** Connects (once), runs `action` and turns its failure into a typed storage error. */
  async #run<T>(path: string, bucket: string, operation: StorageOperation, signal: AbortSignal | undefined, action: (connection: Connection) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StorageConfigError(`the S3 storage adapter is closed (${operation} ${path})`);
    try {
      signal?.throwIfAborted();
      this.#connection ??= connect(this.#options);
      return await action(await this.#connection);
    } catch (error) {
      throw storageFailure(error, path, bucket, operation, signal);
    }
  }
}

/**
 * Creates an {@link S3StorageAdapter}. Nothing is loaded or connected until the first operation.
 *
 * @throws {StorageConfigError} for invalid options (endpoint not `http(s)://`, empty keys, part sizes
 *   under 5 MiB, …).
 */
export function createS3StorageAdapter(options: S3StorageAdapterOptions): S3StorageAdapter {
  return new S3StorageAdapter(options);
}
