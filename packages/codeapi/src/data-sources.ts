/**
 * Data-source lookups: `dataSourceRequest` → `dataSourceResponse` (worker-protocol §6.5).
 *
 * @module
 */

import { ensureError, type DataSourceRef, type DataSourceResponseData } from '@hkube-ts/protocol';
import { abortReasonText, checkTimeout, watchCancellation, type CancellationOptions } from './cancellation.js';
import { closedError, type CodeApiContext } from './context.js';
import {
  CodeApiClosedError, CodeApiRequestError, DataSourceError, describeDataSource, ExecutionStoppedError, ExecutionTimeoutError,
} from './errors.js';
import { textOf } from './replies.js';

/**
 * One file of a data source, as the worker describes it: the file's metadata plus `path`, where it is
 * mounted in the algorithm's container (under `/hkube/datasources-storage/…`).
 *
 * @example
 * ```ts
 * const images = ds.files.filter((file: DataSourceFile) => file.name?.endsWith('.png'));
 * ```
 */
export interface DataSourceFile {
  /** Absolute path of the file in the container. */
  readonly path: string;
  /** File name. */
  readonly name?: string;
  /** Other metadata (`size`, `type`, `id`, …). */
  readonly [key: string]: unknown;
}

/**
 * A resolved data source.
 *
 * @example
 * ```ts
 * const ds: DataSource = await api.getDataSource({ dataSourceId: 'abc123' });
 * for (const file of ds.files) console.log(file.path);
 * ```
 */
export interface DataSource {
  /** The data source's name. */
  readonly name: string;
  /** Its files. */
  readonly files: readonly DataSourceFile[];
  /** Anything else the worker sent. */
  readonly [key: string]: unknown;
}

/**
 * Options of `getDataSource`.
 *
 * @example
 * ```ts
 * await api.getDataSource({ dataSourceId: 'abc' }, { timeoutMs: 10_000 });
 * ```
 */
export interface GetDataSourceOptions extends CancellationOptions {
  /** Rejects with {@link ExecutionStoppedError} (kind `dataSource`) when aborted. */
  readonly signal?: AbortSignal | undefined;
  /** Rejects with {@link ExecutionTimeoutError} (kind `dataSource`) after this many milliseconds. */
  readonly timeoutMs?: number | undefined;
}

interface PendingRequest {
  readonly ref: DataSourceRef;
  resolve(value: DataSource): void;
  reject(error: Error): void;
}

/**
 * The data-source requests of one Code API, by `requestId`.
 *
 * @internal
 */
export class DataSourceRequests {
  readonly #context: CodeApiContext;
  readonly #pending = new Map<string, PendingRequest>();

  constructor(context: CodeApiContext) {
    this.#context = context;
  }

  /** Number of unanswered requests. */
  get size(): number {
    return this.#pending.size;
  }

  /** Sends a `dataSourceRequest` and waits for its answer. */
  request(ref: DataSourceRef, options: GetDataSourceOptions = {}): Promise<DataSource> {
    const context = this.#context;
    const refused = closedError(context) ?? validationError(ref, options.timeoutMs);
    if (refused !== undefined) return Promise.reject(refused);
    const dataSource = exactRef(ref);
    const id = context.nextId();
    const target = describeDataSource(dataSource);
    const { signal } = options;
    if (signal?.aborted === true) {
      const reason: unknown = signal.reason;
      return Promise.reject(stopped(id, target, reason));
    }
    return new Promise<DataSource>((resolve, reject) => {
      const settle = <A>(action: (value: A) => void) => (value: A): void => {
        if (!this.#pending.has(id)) return;
        this.#pending.delete(id);
        disarm();
        action(value);
      };
      const entry: PendingRequest = { ref: dataSource, resolve: settle(resolve), reject: settle(reject) };
      const disarm = watchCancellation(options, {
        onAbort: (reason) => entry.reject(stopped(id, target, reason)),
        onTimeout: (timeoutMs) => entry.reject(new ExecutionTimeoutError({ id, kind: 'dataSource', target, timeoutMs })),
      });
      this.#pending.set(id, entry);
      const sendFailed = (error: unknown): void => {
        entry.reject(new CodeApiRequestError({ id, kind: 'dataSource', target, phase: 'send' }, { cause: error }));
      };
      try {
        context.channel.send({ command: 'dataSourceRequest', data: { requestId: id, dataSource } }).catch(sendFailed);
      } catch (error) {
        sendFailed(error);
      }
    });
  }

  /** Settles the request a `dataSourceResponse` answers; ignores unknown or settled ids. */
  onResponse(data: DataSourceResponseData): void {
    const entry = typeof data.requestId === 'string' ? this.#pending.get(data.requestId) : undefined;
    if (entry === undefined) return;
    const failure = textOf(data.error);
    if (failure !== undefined) {
      entry.reject(new DataSourceError(data.requestId, entry.ref, failure));
      return;
    }
    const { response } = data;
    if (isDataSource(response)) {
      entry.resolve(response);
      return;
    }
    // The debug relay reports failures as a text in `response`; anything else is malformed.
    const text = typeof response === 'string' && response !== '' ? response : `malformed response (expected {name, files}, got ${kindOf(response)})`;
    entry.reject(new DataSourceError(data.requestId, entry.ref, text));
  }

  /** Rejects every pending request with {@link CodeApiClosedError}. */
  closeAll(reason: string): void {
    for (const [id, entry] of [...this.#pending]) entry.reject(new CodeApiClosedError(reason, id));
  }
}

function stopped(id: string, target: string, reason: unknown): ExecutionStoppedError {
  return new ExecutionStoppedError({ id, kind: 'dataSource', target, reason: abortReasonText(reason), stoppedBy: 'caller' }, { cause: reason });
}

/** Only the one key the worker reads: `{dataSourceId}` or `{snapshotId}`. */
function exactRef(ref: DataSourceRef): DataSourceRef {
  const fields: Readonly<Record<string, unknown>> = ref;
  return typeof fields.snapshotId === 'string' ? { snapshotId: fields.snapshotId } : { dataSourceId: String(fields.dataSourceId) };
}

function validationError(ref: unknown, timeoutMs: number | undefined): Error | undefined {
  try {
    checkTimeout(timeoutMs);
  } catch (error) {
    return ensureError(error);
  }
  if (typeof ref !== 'object' || ref === null) return new TypeError('getDataSource needs { dataSourceId } or { snapshotId }');
  const { dataSourceId, snapshotId } = ref as { dataSourceId?: unknown; snapshotId?: unknown };
  const hasId = typeof dataSourceId === 'string' && dataSourceId !== '';
  const hasSnapshot = typeof snapshotId === 'string' && snapshotId !== '';
  if (hasId === hasSnapshot) {
    return new TypeError('getDataSource needs exactly one of dataSourceId or snapshotId, as a non-empty string');
  }
  return undefined;
}

function isDataSource(value: unknown): value is DataSource {
  if (typeof value !== 'object' || value === null) return false;
  const { name, files } = value as { name?: unknown; files?: unknown };
  return typeof name === 'string' && Array.isArray(files);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
