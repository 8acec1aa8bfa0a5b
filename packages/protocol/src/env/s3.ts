/**
 * Reader of the S3 settings (`DEFAULT_STORAGE=s3`; data-plane §2.2, §2.4).
 *
 * @module
 */

import { InvalidEnvironmentError } from '../errors/index.js';
import { ENV, ENV_DEFAULTS, type EnvSource } from './names.js';
import { read, readBoolean } from './read.js';

/** How to reach S3 (`DEFAULT_STORAGE=s3`), from {@link readS3Env}. */
export interface S3Env {
  /** `S3_ENDPOINT_URL`: an `http://` or `https://` URL. */
  readonly endpoint: string;
  /** `AWS_REGION`, else `S3_REGION` (default `us-east-1`). */
  readonly region: string;
  /**
   * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (HKube's `s3-secret`); `undefined` when both are unset, in
   * which case the AWS SDK's default credential chain applies (instance role, profile, …).
   */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** `S3_VERIFY_SSL` (default `true`): `false` accepts self-signed certificates of an `https` endpoint. */
  readonly verifySsl: boolean;
}

/**
 * Reads the S3 settings of `DEFAULT_STORAGE=s3` (data-plane §2.2, §2.4). Blank values count as unset.
 * Secret values never appear in error messages.
 *
 * Meant for start-up, so it throws instead of returning a result.
 *
 * @throws {InvalidEnvironmentError} an `S3_ENDPOINT_URL` that is not an `http(s)://` URL, only one of
 *   `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` set, or an `S3_VERIFY_SSL` that is not a boolean.
 *
 * @example
 * ```ts
 * const { endpoint, region, credentials } = readS3Env(process.env);
 * ```
 */
export function readS3Env(env: EnvSource): S3Env {
  const endpoint = read(env, 'S3_ENDPOINT_URL') ?? ENV_DEFAULTS.S3_ENDPOINT_URL;
  let scheme: string;
  try {
    scheme = new URL(endpoint).protocol;
  } catch {
    scheme = '';
  }
  if (scheme !== 'http:' && scheme !== 'https:') throw new InvalidEnvironmentError(ENV.S3_ENDPOINT_URL, endpoint, 'an http:// or https:// URL');
  const accessKeyId = read(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = read(env, 'AWS_SECRET_ACCESS_KEY');
  if (accessKeyId !== undefined && secretAccessKey === undefined) {
    throw new InvalidEnvironmentError(ENV.AWS_SECRET_ACCESS_KEY, '', `set, since ${ENV.AWS_ACCESS_KEY_ID} is`);
  }
  if (accessKeyId === undefined && secretAccessKey !== undefined) {
    throw new InvalidEnvironmentError(ENV.AWS_ACCESS_KEY_ID, '', `set, since ${ENV.AWS_SECRET_ACCESS_KEY} is`);
  }
  return {
    endpoint,
    region: read(env, 'AWS_REGION') ?? read(env, 'S3_REGION') ?? ENV_DEFAULTS.AWS_REGION,
    credentials: accessKeyId === undefined || secretAccessKey === undefined ? undefined : { accessKeyId, secretAccessKey },
    verifySsl: readBoolean(env, 'S3_VERIFY_SSL', ENV_DEFAULTS.S3_VERIFY_SSL),
  };
}
