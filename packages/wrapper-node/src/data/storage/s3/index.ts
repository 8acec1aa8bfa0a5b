/**
 * The S3 storage back end (`DEFAULT_STORAGE=s3`): {@link S3StorageAdapter} over the AWS SDK, loaded on
 * first use.
 *
 * @module
 */
export { S3StorageAdapter, createS3StorageAdapter } from './adapter.js';
export type { S3StorageAdapterOptions, S3Credentials } from './options.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
