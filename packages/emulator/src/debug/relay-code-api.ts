/**
 * The Code API requests of a stream debug node's debugger, as the relay serves them (worker-protocol
 * §1.6): child algorithm executions run through the relay's own Code API, so they are tasks of the job
 * like any node's; sub-pipelines and data sources are refused with a clear message (the emulator's
 * relay does not carry them yet), so that the debugger's call fails instead of waiting.
 */
import type { Execution, HkubeApi } from '@hkube-ts/codeapi';
import { ensureError, type AlgorithmMessage, type WorkerMessage } from '@hkube-ts/protocol';
import { CodeApiRequestRefusedError } from '../services/errors.js';

/** The Code API requests a debugger may send. */
type CodeApiRequest = Extract<
  AlgorithmMessage,
  { readonly command: 'startAlgorithmExecution' | 'stopAlgorithmExecution' | 'startRawSubPipeline' | 'startStoredSubPipeline' | 'stopSubPipeline' | 'dataSourceRequest' }
>;

/** Serves the Code API requests of one relayed task. `close()` it when the task ends. */
export class RelayCodeApi {
  readonly #api: HkubeApi;
  readonly #reply: (message: WorkerMessage) => void;
  readonly #executions = new Map<string, Execution<unknown>>();
  #closed = false;

  constructor(api: HkubeApi, reply: (message: WorkerMessage) => void) {
    this.#api = api;
    this.#reply = reply;
  }

  /** One request of the debugger. */
  handle(request: CodeApiRequest): void {
    switch (request.command) {
      case 'startAlgorithmExecution':
        this.#startAlgorithm(request.data.execId, request.data.algorithmName, request.data.input ?? [], request.data.includeResult !== false);
        return;
      case 'stopAlgorithmExecution':
        this.#executions.get(request.data.execId)?.stop(typeof request.data.reason === 'string' ? request.data.reason : undefined).catch(() => undefined);
        return;
      case 'startRawSubPipeline':
      case 'startStoredSubPipeline':
        this.#reply({ command: 'subPipelineError', data: { subPipelineId: request.data.subPipelineId, error: refused('sub-pipelines') } });
        return;
      case 'stopSubPipeline':
        return;
      case 'dataSourceRequest':
        this.#reply({ command: 'dataSourceResponse', data: { requestId: request.data.requestId, error: refused('data sources') } });
        return;
      default: {
        const unreachable: never = request;
        void unreachable;
      }
    }
  }

  /** The task ended: running executions are stopped and no more replies are sent. */
  close(): void {
    this.#closed = true;
    for (const execution of this.#executions.values()) execution.stop('parent algorithm ended').catch(() => undefined);
    this.#executions.clear();
  }

  #startAlgorithm(execId: string, algorithmName: string, input: readonly unknown[], includeResult: boolean): void {
    if (this.#closed) return;
    let execution: Execution<unknown>;
    try {
      execution = this.#api.startAlgorithm(algorithmName, input);
    } catch (error) {
      this.#reply({ command: 'algorithmExecutionError', data: { execId, error: ensureError(error).message } });
      return;
    }
    this.#executions.set(execId, execution);
    execution.result.then(
      (result) => {
        this.#executions.delete(execId);
        if (!this.#closed) this.#reply({ command: 'algorithmExecutionDone', data: { execId, response: includeResult ? result : null } });
      },
      (error: unknown) => {
        this.#executions.delete(execId);
        if (!this.#closed) this.#reply({ command: 'algorithmExecutionError', data: { execId, error: ensureError(error).message } });
      },
    );
  }
}

function refused(what: string): string {
  return new CodeApiRequestRefusedError('invalidRequest', `${what} are not available to the debugger of a stream debug node in the emulator`).message;
}
