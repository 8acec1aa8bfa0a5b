import { describe, expect, it } from 'vitest';
import {
  ENV, ENV_DEFAULTS, STORAGE_BACKENDS, STORAGE_PROTOCOLS, readS3Env, readStorageEnv, readWorkerConnectionEnv, type EnvSource,
} from '../src/env/index.js';
import { InvalidEnvironmentError } from '../src/errors/index.js';

function rejection(read: () => unknown): InvalidEnvironmentError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return error as InvalidEnvironmentError;
  }
  throw new Error('expected InvalidEnvironmentError');
}

describe('ENV and ENV_DEFAULTS', () => {
  it('map each constant to the variable of the same name', () => {
    for (const [key, name] of Object.entries(ENV)) expect(name).toBe(key);
    expect(Object.isFrozen(ENV)).toBe(true);
  });

  it('has a default only for listed variables', () => {
    for (const key of Object.keys(ENV_DEFAULTS)) expect(Object.keys(ENV)).toContain(key);
  });

  it('uses the Node wrapper defaults of §9', () => {
    expect(ENV_DEFAULTS).toMatchObject({
      WORKER_SOCKET_HOST: 'localhost',
      WORKER_SOCKET_PORT: 3000,
      WORKER_SOCKET_PROTOCOL: 'ws',
      WORKER_SOCKET_MAX_PAYLOAD_BYTES: 100_000_000,
      WORKER_ALGORITHM_ENCODING: 'bson',
      STORAGE_PROTOCOL: 'v3',
      CLUSTER_NAME: 'local',
      DEFAULT_STORAGE: 'fs',
      STORAGE_ENCODING: 'bson',
      STORAGE_MAX_CACHE_SIZE: 500,
      BASE_FS_ADAPTER_DIRECTORY: '/var/tmp/fs/storage',
      POD_IP: '127.0.0.1',
      DISCOVERY_PORT: 9020,
      STREAMING_DISCOVERY_PORT: 9022,
      ALGORITHM_PATH: 'algorithm_unique_folder',
      ALGORITHM_ENTRY_POINT: 'index.js',
    });
    expect(STORAGE_PROTOCOLS).toStrictEqual(['v1', 'v2', 'v3']);
    expect(STORAGE_BACKENDS).toStrictEqual(['fs', 's3']);
  });
});

describe('readWorkerConnectionEnv', () => {
  it('defaults to ws://localhost:3000, bson, v3, 1e8', () => {
    expect(readWorkerConnectionEnv({})).toStrictEqual({
      host: 'localhost',
      port: 3000,
      protocol: 'ws',
      encoding: 'bson',
      storageProtocol: 'v3',
      maxPayload: 100_000_000,
    });
  });

  it('reads overrides (trimmed); blank values count as unset', () => {
    const env: EnvSource = {
      WORKER_SOCKET_HOST: ' 127.0.0.1 ',
      WORKER_SOCKET_PORT: '3005',
      WORKER_SOCKET_PROTOCOL: 'wss',
      WORKER_ALGORITHM_ENCODING: 'msgpack',
      STORAGE_PROTOCOL: 'v2',
      WORKER_SOCKET_MAX_PAYLOAD_BYTES: '1e6',
      WORKER_SOCKET_URL: '',
    };
    expect(readWorkerConnectionEnv(env)).toStrictEqual({
      host: '127.0.0.1',
      port: 3005,
      protocol: 'wss',
      encoding: 'msgpack',
      storageProtocol: 'v2',
      maxPayload: 1_000_000,
    });
  });

  it('WORKER_SOCKET_URL selects v1 unless STORAGE_PROTOCOL says otherwise', () => {
    const url = 'ws://hkube.example/hkube/debug/green-alg';
    expect(readWorkerConnectionEnv({ WORKER_SOCKET_URL: url })).toMatchObject({ url, storageProtocol: 'v1' });
    expect(readWorkerConnectionEnv({ WORKER_SOCKET_URL: url, STORAGE_PROTOCOL: 'v3' })).toMatchObject({ url, storageProtocol: 'v3' });
    expect(readWorkerConnectionEnv({ WORKER_SOCKET_URL: 'wss://h:443/x?y=1' }).url).toBe('wss://h:443/x?y=1');
  });

  it('works with process.env', () => {
    expect(readWorkerConnectionEnv(process.env).port).toBeGreaterThan(0);
  });

  it.each([
    ['WORKER_SOCKET_PORT', 'abc'],
    ['WORKER_SOCKET_PORT', '0'],
    ['WORKER_SOCKET_PORT', '65536'],
    ['WORKER_SOCKET_PORT', '30.5'],
    ['WORKER_SOCKET_PORT', '-1'],
    ['WORKER_SOCKET_PROTOCOL', 'http'],
    ['WORKER_ALGORITHM_ENCODING', 'protoc'],
    ['WORKER_ALGORITHM_ENCODING', 'BSON'],
    ['STORAGE_PROTOCOL', 'v4'],
    ['WORKER_SOCKET_MAX_PAYLOAD_BYTES', '0'],
    ['WORKER_SOCKET_MAX_PAYLOAD_BYTES', '1.5'],
    ['WORKER_SOCKET_MAX_PAYLOAD_BYTES', 'lots'],
    ['WORKER_SOCKET_URL', 'not a url'],
    ['WORKER_SOCKET_URL', 'http://localhost:3000'],
  ])('rejects %s=%j', (variable, value) => {
    const error = rejection(() => readWorkerConnectionEnv({ [variable]: value }));
    expect(error.variable).toBe(variable);
    expect(error.value).toBe(value.trim());
    expect(error.message).toContain(variable);
  });
});

describe('readStorageEnv', () => {
  it('defaults', () => {
    expect(readStorageEnv({})).toStrictEqual({
      clusterName: 'local',
      defaultStorage: 'fs',
      storageEncoding: 'bson',
      baseFsDirectory: '/var/tmp/fs/storage',
      maxCacheSizeMb: 500,
    });
  });

  it('overrides', () => {
    expect(
      readStorageEnv({
        CLUSTER_NAME: 'prod',
        DEFAULT_STORAGE: 's3',
        STORAGE_ENCODING: 'msgpack',
        BASE_FS_ADAPTER_DIRECTORY: '/mnt/storage',
        STORAGE_MAX_CACHE_SIZE: '128.5',
      }),
    ).toStrictEqual({ clusterName: 'prod', defaultStorage: 's3', storageEncoding: 'msgpack', baseFsDirectory: '/mnt/storage', maxCacheSizeMb: 128.5 });
  });

  it.each([
    ['DEFAULT_STORAGE', 'gcs'],
    ['STORAGE_ENCODING', 'yaml'],
    ['STORAGE_MAX_CACHE_SIZE', '-1'],
    ['STORAGE_MAX_CACHE_SIZE', 'big'],
    ['STORAGE_MAX_CACHE_SIZE', 'Infinity'],
  ])('rejects %s=%j', (variable, value) => {
    expect(rejection(() => readStorageEnv({ [variable]: value })).variable).toBe(variable);
  });
});

describe('readS3Env', () => {
  it('defaults to http://127.0.0.1:9000, us-east-1, the SDK credential chain and verified TLS', () => {
    expect(readS3Env({})).toStrictEqual({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', credentials: undefined, verifySsl: true });
  });

  it('reads the endpoint, the keys, AWS_REGION before S3_REGION and S3_VERIFY_SSL', () => {
    const env = { S3_ENDPOINT_URL: 'https://minio:9000', AWS_ACCESS_KEY_ID: 'key', AWS_SECRET_ACCESS_KEY: 'secret', S3_REGION: 'eu-west-1', S3_VERIFY_SSL: 'False' };
    expect(readS3Env(env)).toStrictEqual({ endpoint: 'https://minio:9000', region: 'eu-west-1', credentials: { accessKeyId: 'key', secretAccessKey: 'secret' }, verifySsl: false });
    expect(readS3Env({ ...env, AWS_REGION: 'il-central-1' }).region).toBe('il-central-1');
  });

  it.each([
    ['S3_ENDPOINT_URL', { S3_ENDPOINT_URL: 'minio:9000' }],
    ['S3_ENDPOINT_URL', { S3_ENDPOINT_URL: 'ftp://minio' }],
    ['AWS_SECRET_ACCESS_KEY', { AWS_ACCESS_KEY_ID: 'key' }],
    ['AWS_ACCESS_KEY_ID', { AWS_SECRET_ACCESS_KEY: 'secret' }],
    ['S3_VERIFY_SSL', { S3_VERIFY_SSL: 'maybe' }],
  ])('rejects a bad %s without echoing secrets', (variable, env: EnvSource) => {
    const error = rejection(() => readS3Env(env));
    expect(error.variable).toBe(variable);
    expect(error.message).not.toContain('secret"');
  });
});
