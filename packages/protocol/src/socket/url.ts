import type { EncodingName } from '../codecs/types.js';

/** The storage modes a wrapper can ask for in the `storage` query parameter. */
export type SocketStorageMode = 'v1' | 'v2' | 'v3';

/** Where and how a wrapper connects to its worker (worker-protocol §1.2–§1.3). */
export interface WorkerUrlOptions {
  /** A full URL (`WORKER_SOCKET_URL`, or a debug URL); its path and query are kept. */
  readonly url?: string | undefined;
  /** Host when no `url` is given (default `localhost`). */
  readonly host?: string;
  /** Port when no `url` is given (default 3000). */
  readonly port?: number;
  /** `ws` or `wss` when no `url` is given (default `ws`). */
  readonly protocol?: 'ws' | 'wss';
  /** The socket codec the worker must use. */
  readonly encoding: EncodingName;
  /** Who writes results: `v1` the worker, `v3` the wrapper. */
  readonly storage: SocketStorageMode;
}

/**
 * The URL a wrapper dials, always with both `encoding` and `storage` (a worker falls back to `json`
 * and `v1` without them). Unlike the official wrappers, an existing query string is extended rather
 * than broken, and any `encoding`/`storage` already in it is replaced, never repeated (a repeated
 * parameter crashes the worker).
 *
 * @example
 * ```ts
 * workerSocketUrl({ encoding: 'bson', storage: 'v3' }); // 'ws://localhost:3000/?encoding=bson&storage=v3'
 * ```
 */
export function workerSocketUrl(options: WorkerUrlOptions): string {
  const base = options.url ?? `${options.protocol ?? 'ws'}://${options.host ?? 'localhost'}:${options.port ?? 3000}`;
  const url = new URL(base);
  url.searchParams.delete('encoding');
  url.searchParams.delete('storage');
  url.searchParams.append('encoding', options.encoding);
  url.searchParams.append('storage', options.storage);
  return url.toString();
}

/**
 * The debug relay's URL for an algorithm (worker-protocol §1.6):
 * `ws[s]://<host>[/<ingress prefix>]/hkube/debug/<algorithmName>`. The scheme follows the HKube URL
 * (`https` → `wss`), and an ingress prefix in its path is kept, unlike the official Node helper.
 *
 * @example
 * ```ts
 * debugSocketUrl('https://cluster.example.com/prefix/', 'green-alg');
 * // 'wss://cluster.example.com/prefix/hkube/debug/green-alg'
 * ```
 */
export function debugSocketUrl(hkubeUrl: string, algorithmName: string): string {
  const url = new URL(hkubeUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`the HKube URL must be http(s) or ws(s), got '${url.protocol}'`);
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  url.pathname = `${prefix}/hkube/debug/${encodeURIComponent(algorithmName)}`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
