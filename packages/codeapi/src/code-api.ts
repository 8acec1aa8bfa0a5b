/**
 * The {@link HkubeApi} implementation: argument checks and the exact request messages.
 *
 * @internal
 * @module
 */

import { ensureError, type DataSourceRef } from '@hkube-ts/protocol';
import type { Observable } from 'rxjs';
import type {
  ExecutionOptions, HkubeApi, StartAlgorithmOptions, StartRawSubpipelineOptions, StartStoredSubpipelineOptions, WithoutResult,
} from './api.js';
import type { CodeApiRequest } from './channel.js';
import { closedError, type CodeApiContext } from './context.js';
import type { DataSource, DataSourceRequests, GetDataSourceOptions } from './data-sources.js';
import type { Execution } from './execution.js';
import type { ExecutionRegistry, ExecutionRequest } from './executions.js';
import { metricsDirEnsurer } from './metrics.js';
import type { PipelineResultEntry } from './replies.js';
import type { StreamInputListener, StreamingApi, StreamingStatistics, StreamMessage } from './streaming.js';

/** The {@link HkubeApi} implementation. @internal */
export class CodeApi implements HkubeApi {
  readonly metricsDir: string | undefined;
  readonly #context: CodeApiContext;
  readonly #executions: ExecutionRegistry;
  readonly #dataSources: DataSourceRequests;
  readonly #ensureMetricsDir: () => Promise<string>;
  readonly #streaming: StreamingApi;

  constructor(
    context: CodeApiContext,
    executions: ExecutionRegistry,
    dataSources: DataSourceRequests,
    metricsDir: string | undefined,
    streaming: StreamingApi,
  ) {
    this.#context = context;
    this.#streaming = streaming;
    this.#executions = executions;
    this.#dataSources = dataSources;
    this.metricsDir = metricsDir === '' ? undefined : metricsDir;
    this.#ensureMetricsDir = metricsDirEnsurer(this.metricsDir);
  }

  startAlgorithm(algorithmName: string, input: readonly unknown[] | undefined, options: StartAlgorithmOptions & WithoutResult): Execution<null>;
  startAlgorithm<T = unknown>(algorithmName: string, input?: readonly unknown[], options?: StartAlgorithmOptions): Execution<T>;
  startAlgorithm<T>(algorithmName: string, input: readonly unknown[] = [], options: StartAlgorithmOptions = {}): Execution<T> {
    const includeResult = options.includeResult ?? true;
    const { data } = this.#context;
    const request: ExecutionRequest = {
      kind: 'algorithm',
      name: algorithmName,
      includeResult,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      prepare: (execId, signal) => {
        const items = [...input];
        if (data.storageProtocol === 'v1') {
          return { command: 'startAlgorithmExecution', data: { execId, algorithmName, input: items, includeResult } };
        }
        return data.writeInput(items, signal).then(({ storageInput, storage }): CodeApiRequest => ({
          command: 'startAlgorithmExecution',
          data: { execId, algorithmName, storageInput, storage, includeResult },
        }));
      },
      stopMessage: (execId, reason) => ({ command: 'stopAlgorithmExecution', data: { execId, reason } }),
    };
    return this.#executions.start<T>(request, () => {
      checkName('algorithmName', algorithmName);
      if (!Array.isArray(input)) throw new TypeError('startAlgorithm: input must be an array');
    });
  }

  startStoredSubpipeline(name: string, flowInput: Readonly<Record<string, unknown>> | undefined, options: StartStoredSubpipelineOptions & WithoutResult): Execution<null>;
  startStoredSubpipeline<T = PipelineResultEntry[]>(name: string, flowInput?: Readonly<Record<string, unknown>>, options?: StartStoredSubpipelineOptions): Execution<T>;
  startStoredSubpipeline<T>(name: string, flowInput: Readonly<Record<string, unknown>> = {}, options: StartStoredSubpipelineOptions = {}): Execution<T> {
    const includeResult = options.includeResult ?? true;
    return this.#executions.start<T>(
      subpipelineRequest(name, includeResult, options, (subPipelineId) => ({
        command: 'startStoredSubPipeline',
        data: { subPipelineId, subPipeline: { name, flowInput }, includeResult },
      })),
      () => {
        checkName('name', name);
        checkRecord('flowInput', flowInput);
      },
    );
  }

  startRawSubpipeline(
    name: string,
    nodes: readonly unknown[],
    flowInput: Readonly<Record<string, unknown>> | undefined,
    options: StartRawSubpipelineOptions & WithoutResult,
  ): Execution<null>;
  startRawSubpipeline<T = PipelineResultEntry[]>(
    name: string,
    nodes: readonly unknown[],
    flowInput?: Readonly<Record<string, unknown>>,
    options?: StartRawSubpipelineOptions,
  ): Execution<T>;
  startRawSubpipeline<T>(
    name: string,
    nodes: readonly unknown[],
    flowInput: Readonly<Record<string, unknown>> = {},
    options: StartRawSubpipelineOptions = {},
  ): Execution<T> {
    const includeResult = options.includeResult ?? true;
    const pipelineOptions = options.options ?? {};
    const webhooks = options.webhooks ?? {};
    return this.#executions.start<T>(
      subpipelineRequest(name, includeResult, options, (subPipelineId) => ({
        command: 'startRawSubPipeline',
        data: { subPipelineId, subPipeline: { name, nodes: [...nodes], flowInput, options: pipelineOptions, webhooks }, includeResult },
      })),
      () => {
        checkName('name', name);
        if (!Array.isArray(nodes)) throw new TypeError('startRawSubpipeline: nodes must be an array');
        checkRecord('flowInput', flowInput);
        checkRecord('options', pipelineOptions);
        checkRecord('webhooks', webhooks);
      },
    );
  }

  getDataSource(dataSource: DataSourceRef, options?: GetDataSourceOptions): Promise<DataSource> {
    return this.#dataSources.request(dataSource, options);
  }

  progress(percent: number): Promise<void> {
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
      return Promise.reject(new RangeError(`progress must be a number from 0 to 100 (got ${String(percent)})`));
    }
    return this.#send({ command: 'progress', data: { progress: percent } });
  }

  startSpan(name: string, tags?: Readonly<Record<string, unknown>>): Promise<void> {
    if (typeof name !== 'string' || name === '') return Promise.reject(new TypeError('startSpan: name must be a non-empty string'));
    return this.#send({ command: 'startSpan', data: tags === undefined ? { name } : { name, tags } });
  }

  finishSpan(tags?: Readonly<Record<string, unknown>>, error?: unknown): Promise<void> {
    return this.#send({
      command: 'finishSpan',
      data: { ...(tags === undefined ? {} : { tags }), ...(error === undefined ? {} : { error: spanErrorText(error) }) },
    });
  }

  ensureMetricsDir(): Promise<string> {
    return this.#ensureMetricsDir();
  }

  registerInputListener(listener: StreamInputListener): void {
    if (typeof listener !== 'function') throw new TypeError('registerInputListener: the listener must be a function');
    this.#streaming.registerInputListener(listener);
  }

  startMessageListening(): void {
    this.#streaming.startMessageListening();
  }

  messages<T = unknown>(): AsyncIterable<StreamMessage<T>> {
    return this.#streaming.messages<T>();
  }

  get messages$(): Observable<StreamMessage> {
    return this.#streaming.messages$;
  }

  sendMessage(message: unknown, flowName?: string): void {
    if (flowName !== undefined && (typeof flowName !== 'string' || flowName === '')) {
      throw new TypeError('sendMessage: flowName must be a non-empty string when given');
    }
    this.#streaming.sendMessage(message, flowName);
  }

  getStreamingStatistics(): StreamingStatistics {
    return this.#streaming.getStreamingStatistics();
  }

  /** Sends a fire-and-forget message; the channel's own error is passed on. */
  #send(message: CodeApiRequest): Promise<void> {
    const closed = closedError(this.#context);
    if (closed !== undefined) return Promise.reject(closed);
    try {
      return this.#context.channel.send(message);
    } catch (error) {
      return Promise.reject(ensureError(error));
    }
  }
}

function subpipelineRequest(
  name: string,
  includeResult: boolean,
  options: ExecutionOptions,
  startMessage: (subPipelineId: string) => CodeApiRequest,
): ExecutionRequest {
  return {
    kind: 'subpipeline',
    name,
    includeResult,
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    prepare: (subPipelineId) => startMessage(subPipelineId),
    stopMessage: (subPipelineId, reason) => ({ command: 'stopSubPipeline', data: { subPipelineId, reason } }),
  };
}

function checkName(what: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${what} must be a non-empty string (got ${value === '' ? 'an empty string' : typeof value})`);
  }
}

function checkRecord(what: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${what} must be an object`);
}

function spanErrorText(error: unknown): string {
  return ensureError(error).message;
}
