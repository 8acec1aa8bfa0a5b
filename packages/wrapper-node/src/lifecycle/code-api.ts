import { createCodeApi, type CodeApiData, type CodeApiSession, type HkubeApi, type StreamingBackend, type WorkerChannel } from '@hkube-ts/codeapi';
import { ensureError, type InitializePayload } from '@hkube-ts/protocol';
import type { Logger } from '../logging/logger.js';
import type { TaskApi, TaskApiFactory } from './runner.js';
import type { TaskDataPlane } from './types.js';

/** Options of {@link createTaskApiFactory}. */
export interface TaskApiFactoryOptions {
  /** The connection's storage mode: v3 moves Code API data through storage, v1 inline. */
  readonly storageMode: 'v1' | 'v3';
  /** `ALGO_METRICS_DIR`, for TensorBoard files. */
  readonly metricsDir?: string | undefined;
  /** Where failures nobody awaits (a stop command that could not be sent) are reported. */
  readonly logger?: Logger;
}

/** Storage mode v1: Code API input and results travel inline in the messages. */
const INLINE_DATA: CodeApiData = {
  storageProtocol: 'v1',
  writeInput: () => Promise.reject(new Error('storage mode v1 sends Code API input inline')),
  readStored: () => Promise.reject(new Error('storage mode v1 receives Code API results inline')),
};

/**
 * One task's Code API, opened on first use: most tasks never touch it, and a Code API session per
 * task (executions, data-source requests, a reply listener) costs time and garbage on the hot path.
 * The object handed to `start()` is a proxy whose handler is shared by all tasks, so that a task
 * that never calls the API costs two small objects.
 */
class LazyTaskApi implements TaskApi {
  static readonly #handler: ProxyHandler<LazyTaskApi> = {
    get: (target, property) => target.#method(property),
    // Nothing of the holder shows through the proxy: the API has no own fields.
    ownKeys: () => [],
    has: (target, property) => property in target.#open().api,
    getOwnPropertyDescriptor: () => undefined,
  };

  readonly api: HkubeApi;
  readonly #options: TaskApiFactoryOptions;
  readonly #payload: InitializePayload;
  readonly #channel: WorkerChannel;
  readonly #dataPlane: TaskDataPlane | undefined;
  readonly #streaming: StreamingBackend | undefined;
  #session: CodeApiSession | undefined;
  #closedWith: string | undefined;
  /** Bound methods are kept: `api.sendMessage` runs once per stream message. */
  #bound: Map<string | symbol, unknown> | undefined;

  constructor(options: TaskApiFactoryOptions, payload: InitializePayload, channel: WorkerChannel, dataPlane: TaskDataPlane | undefined, streaming: StreamingBackend | undefined) {
    this.#options = options;
    this.#payload = payload;
    this.#channel = channel;
    this.#dataPlane = dataPlane;
    this.#streaming = streaming;
    this.api = new Proxy(this, LazyTaskApi.#handler) as unknown as HkubeApi;
  }

  close(reason: string): void {
    this.#closedWith ??= reason;
    this.#session?.close(reason);
  }

  #method(property: string | symbol): unknown {
    const cached = this.#bound?.get(property);
    if (cached !== undefined) return cached;
    const real = this.#open().api;
    const value: unknown = Reflect.get(real, property, real);
    if (typeof value !== 'function') return value;
    const method = (value as (...args: unknown[]) => unknown).bind(real);
    (this.#bound ??= new Map()).set(property, method);
    return method;
  }

  #open(): CodeApiSession {
    if (this.#session !== undefined) return this.#session;
    const { storageMode, metricsDir, logger } = this.#options;
    const payload = this.#payload;
    this.#session = createCodeApi({
      channel: this.#channel,
      data: storageMode === 'v3' && this.#dataPlane ? this.#dataPlane.codeApiData(payload) : INLINE_DATA,
      task: { jobId: payload.jobId, taskId: payload.taskId, nodeName: payload.nodeName },
      streaming: this.#streaming,
      ...(metricsDir ? { metricsDir } : {}),
      onBackgroundError: (error: unknown) => logger?.warn(`Code API: ${ensureError(error).message}`),
    });
    if (this.#closedWith !== undefined) this.#session.close(this.#closedWith);
    return this.#session;
  }
}

/** Builds each task's Code API from `@hkube-ts/codeapi`, with the task's ids and data access. */
export function createTaskApiFactory(options: TaskApiFactoryOptions): TaskApiFactory {
  return (payload, channel, dataPlane, streaming) => new LazyTaskApi(options, payload, channel, dataPlane, streaming);
}
