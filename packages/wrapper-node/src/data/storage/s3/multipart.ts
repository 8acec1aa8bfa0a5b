import type * as S3Sdk from '@aws-sdk/client-s3';
import { createLimiter } from '../../limit.js';
import { withRetries, type RetryPolicy } from './retry.js';

/** S3 accepts at most 10 000 parts per upload. */
const MAX_PARTS = 10_000;

/** What {@link uploadInParts} needs. */
export interface MultipartUpload {
  readonly sdk: typeof S3Sdk;
  readonly client: S3Sdk.S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly payload: Uint8Array;
  readonly metadata: Record<string, string> | undefined;
  readonly partSizeBytes: number;
  readonly partConcurrency: number;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal | undefined;
}

/**
 * Uploads `payload` with CreateMultipartUpload / UploadPart / CompleteMultipartUpload. Parts are
 * `subarray` views of the payload (no copies), uploaded a few at a time, each retried on transient
 * failures. On any failure the upload is aborted so that no orphan parts stay billed, and the object
 * is left as it was (S3 only replaces it on completion).
 */
export async function uploadInParts(upload: MultipartUpload): Promise<void> {
  const { sdk, client, bucket, key, payload, retry, signal } = upload;
  const send = { abortSignal: signal };
  const created = await withRetries(
    () => client.send(new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: key, Metadata: upload.metadata }), send),
    retry,
    signal,
  );
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new Error('CreateMultipartUpload returned no UploadId');
  try {
    const partSize = Math.max(upload.partSizeBytes, Math.ceil(payload.byteLength / MAX_PARTS));
    const limiter = createLimiter(upload.partConcurrency);
    const parts: Promise<S3Sdk.CompletedPart>[] = [];
    for (let offset = 0, number = 1; offset < payload.byteLength; offset += partSize, number += 1) {
      const body = payload.subarray(offset, Math.min(offset + partSize, payload.byteLength));
      const partNumber = number;
      parts.push(
        limiter.run(async () => {
          const sent = await withRetries(
            () => client.send(new sdk.UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: body.byteLength }), send),
            retry,
            signal,
          );
          return { PartNumber: partNumber, ETag: sent.ETag };
        }, signal),
      );
    }
    // allSettled first: no part may still be running when the upload is aborted.
    const settled = await Promise.allSettled(parts);
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const completed = settled.map((outcome) => (outcome as PromiseFulfilledResult<S3Sdk.CompletedPart>).value);
    await withRetries(
      () => client.send(new sdk.CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: completed } }), send),
      retry,
      signal,
    );
  } catch (error) {
    // Best effort, and not cancelled by `signal`: the parts must go even when the caller gave up.
    await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw error;
  }
}
