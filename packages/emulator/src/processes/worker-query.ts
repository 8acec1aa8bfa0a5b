/**
 * Reads what a wrapper asks for in its connection URL (worker-protocol §1.3): `encoding` (default
 * `json`, the worker's `DEFAULT_WORKER_ALGORITHM_ENCODING`) and `storage` (default `v1`,
 * `DEFAULT_STORAGE_PROTOCOL`). A value HKube's worker would crash on is a {@link WorkerQueryError}.
 */
import { createSocketCodec, isEncodingName, type SocketCodec } from '@hkube-ts/protocol';
import { WorkerQueryError } from '../errors.js';

/** The negotiated settings of a connection. */
export interface WorkerQuery {
  readonly codec: SocketCodec;
  readonly storageMode: 'v1' | 'v3';
}

/** Parses the query of an upgrade request URL (`/?encoding=bson&storage=v3`). */
export function readWorkerQuery(algorithmName: string, requestUrl: string | undefined): WorkerQuery {
  const query = new URL(requestUrl ?? '/', 'ws://127.0.0.1').searchParams;
  const single = (name: string, fallback: string): string => {
    const values = query.getAll(name);
    if (values.length > 1) throw new WorkerQueryError(algorithmName, name, `given ${values.length} times (HKube's worker would crash)`);
    return values[0] ?? fallback;
  };
  const encoding = single('encoding', 'json');
  if (!isEncodingName(encoding)) throw new WorkerQueryError(algorithmName, 'encoding', `'${encoding}' is not json, bson or msgpack`);
  const storage = single('storage', 'v1');
  if (storage !== 'v1' && storage !== 'v2' && storage !== 'v3') throw new WorkerQueryError(algorithmName, 'storage', `'${storage}' is not v1, v2 or v3`);
  // v2 and v3 differ only for streaming: the wrapper stores results in both.
  return { codec: createSocketCodec(encoding), storageMode: storage === 'v1' ? 'v1' : 'v3' };
}
