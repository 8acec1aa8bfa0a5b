import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3RVER_CREDENTIALS } from '../../support/s3-server.js';

/** A plain SDK client for s3rver, to write and inspect objects the way other HKube components do. */
export function rawClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { ...S3RVER_CREDENTIALS },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Writes `body` at `bucket/key`, with `header` base64 in the metadata as HKube's S3 adapter does. */
export async function putRaw(client: S3Client, bucket: string, key: string, body: Buffer, header?: Buffer): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: header === undefined ? undefined : { header: header.toString('base64') } }));
}

/** The stored body and metadata of `bucket/key`. */
export async function getRaw(client: S3Client, bucket: string, key: string): Promise<{ body: Buffer; metadata: Record<string, string> }> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: Buffer.from(await object.Body!.transformToByteArray()), metadata: object.Metadata ?? {} };
}
