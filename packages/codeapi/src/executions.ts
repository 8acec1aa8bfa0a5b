/**
 * Starting child algorithms and sub-pipelines, and routing the worker's replies to their handles
 * (worker-protocol §6.2–§6.4).
 *
 * @internal
 * @module
 */

import { ensureError } from '@hkube-ts/protocol';
import type { CodeApiReply, CodeApiRequest } from './channel.js';
import { checkTimeout, type CancellationOptions } from './cancellation.js';
import { closedError, type CodeApiContext } from './context.js';
import {
  AlgorithmExecutionError, CodeApiClosedError, CodeApiRequestError, ExecutionStoppedError, ResultFetchError, SubpipelineError,
} from './errors.js';
import { createExecution, type Execution, type ExecutionControl, type ExecutionKind } from './execution.js';
import { algorithmResult, errorText, StoredReadFailure, subpipelineResult, textOf } from './replies.js';

/** One start request, described independently of its id. @internal */
export interface ExecutionRequest extends CancellationOptions {
  readonly kind: ExecutionKind;
  /** Algorithm or pipeline name. */
  readonly name: string;
  /** Whether the caller wants the value (else the handle resolves `null`). */
  readonly includeResult: boolean;
  /**
   * Builds the start message for `id`. Returns a promise when it must store data first (v3 input);
   * `signal` aborts when the handle settles meanwhile. Throwing or rejecting fails the handle with a
   * `writeInput` {@link CodeApiRequestError}.
   */
  prepare(id: string, signal: AbortSignal): CodeApiRequest | PromiseLike<CodeApiRequest>;
  /** The stop command for `id`. */
  stopMessage(id: string, reason: string): CodeApiRequest;
}

/** The replies this registry handles. @internal */
export type ExecutionReply = Exclude<CodeApiReply, { readonly command: 'dataSourceResponse' }>;

interface Pending {
  readonly kind: ExecutionKind;
  readonly name: string;
  readonly includeResult: boolean;
  readonly control: ExecutionControl<unknown>;
  /** Shared with the stop logic: set when the worker's final reply arrived (the worker no longer knows the id, so no stop is sent). */
  readonly reply: { arrived: boolean };
}

/**
 * The running executions of one Code API. Handles are registered before anything is sent, so replies
 * may arrive in any order and at any time; a reply is matched by id *and* kind, and a reply for an
 * unknown or already-settled id is ignored (the Node wrapper crashes on those, worker-protocol §8.2 #10).
 *
 * @internal
 */
export class ExecutionRegistry {
  readonly #context: CodeApiContext;
  /** Handles still waiting for the worker's final reply, by id. */
  readonly #awaitingReply = new Map<string, Pending>();
  /** Every unsettled handle (including those fetching their result), by id. */
  readonly #live = new Map<string, ExecutionControl<unknown>>();

  constructor(context: CodeApiContext) {
    this.#context = context;
  }

  /** Number of unsettled handles. */
  get size(): number {
    return this.#live.size;
  }

  /** Creates the handle, registers it, then prepares and sends the start message. */
  start<T>(request: ExecutionRequest, validate: () => void): Execution<T> {
    const context = this.#context;
    const { kind, name } = request;
    const id = context.nextId();
    let sent: Promise<boolean> = Promise.resolve(false);
    const reply = { arrived: false };
    const refused = closedError(context) ?? validationError(validate, request.timeoutMs);
    const control = createExecution<unknown>({
      id,
      kind,
      name,
      // A refused request is rejected below: arm nothing for it.
      signal: refused === undefined ? request.signal : undefined,
      timeoutMs: refused === undefined ? request.timeoutMs : undefined,
      now: context.now,
      onBackgroundError: context.onBackgroundError,
      requestStop: async (reason) => {
        if (!(await sent) || reply.arrived) return;
        try {
          await context.channel.send(request.stopMessage(id, reason));
        } catch (error) {
          throw new CodeApiRequestError({ id, kind, target: name, phase: 'send' }, { cause: error });
        }
      },
      onSettled: () => {
        this.#live.delete(id);
        this.#awaitingReply.delete(id);
      },
    });
    const execution = control.execution as Execution<T>;
    if (refused !== undefined) {
      control.reject(refused, refused instanceof CodeApiClosedError ? 'stopped' : 'failed');
      return execution;
    }
    if (control.settled) return execution; // the abort signal had already fired: nothing is sent

    const pending: Pending = { kind, name, includeResult: request.includeResult, control, reply };
    this.#live.set(id, control);
    this.#awaitingReply.set(id, pending);

    const send = async (message: CodeApiRequest): Promise<boolean> => {
      try {
        await context.channel.send(message);
        return true;
      } catch (error) {
        control.reject(new CodeApiRequestError({ id, kind, target: name, phase: 'send' }, { cause: error }), 'failed');
        return false;
      }
    };
    const inputFailed = (error: unknown): false => {
      control.reject(new CodeApiRequestError({ id, kind, target: name, phase: 'writeInput' }, { cause: error }), 'failed');
      return false;
    };
    let prepared: CodeApiRequest | PromiseLike<CodeApiRequest>;
    try {
      prepared = request.prepare(id, control.signal);
    } catch (error) {
      inputFailed(error);
      return execution;
    }
    sent = isPromiseLike(prepared)
      ? Promise.resolve(prepared).then((message) => (control.settled ? false : send(message)), inputFailed)
      : send(prepared); // sent in this very tick: messages leave in call order
    return execution;
  }

  /** Settles the handle a reply is meant for; ignores replies for unknown or settled ids. */
  onReply(reply: ExecutionReply): void {
    switch (reply.command) {
      case 'algorithmExecutionDone':
        this.#done('algorithm', reply.data.execId, reply.data.response);
        return;
      case 'subPipelineDone':
        this.#done('subpipeline', reply.data.subPipelineId, reply.data.response);
        return;
      case 'algorithmExecutionError': {
        const pending = this.#take('algorithm', reply.data.execId);
        pending?.control.reject(new AlgorithmExecutionError(reply.data.execId, pending.name, errorText(reply.data)), 'failed');
        return;
      }
      case 'subPipelineError': {
        const pending = this.#take('subpipeline', reply.data.subPipelineId);
        pending?.control.reject(new SubpipelineError(reply.data.subPipelineId, pending.name, errorText(reply.data)), 'failed');
        return;
      }
      case 'subPipelineStopped': {
        const id = reply.data.subPipelineId;
        const pending = this.#take('subpipeline', id);
        const reason = textOf(reply.data.reason) ?? 'stopped by the platform';
        pending?.control.reject(new ExecutionStoppedError({ id, kind: 'subpipeline', target: pending.name, reason, stoppedBy: 'platform' }), 'stopped');
        return;
      }
      case 'subPipelineStarted':
        // Informational: the worker accepted the request (the debug relay never sends it).
        return;
    }
  }

  /** Rejects every unsettled handle with {@link CodeApiClosedError}. */
  closeAll(reason: string): void {
    for (const [id, control] of [...this.#live]) control.reject(new CodeApiClosedError(reason, id), 'stopped');
    this.#live.clear();
    this.#awaitingReply.clear();
  }

  #take(kind: ExecutionKind, id: unknown): Pending | undefined {
    if (typeof id !== 'string') return undefined;
    const pending = this.#awaitingReply.get(id);
    if (pending?.kind !== kind) return undefined;
    this.#awaitingReply.delete(id);
    pending.reply.arrived = true;
    return pending;
  }

  #done(kind: ExecutionKind, id: string, response: unknown): void {
    const pending = this.#take(kind, id);
    if (pending === undefined) return;
    const { control } = pending;
    const resultContext = {
      includeResult: pending.includeResult,
      storageProtocol: this.#context.data.storageProtocol,
      readStored: (path: string, signal?: AbortSignal) => this.#context.data.readStored(path, signal),
      signal: control.signal,
    };
    const value = kind === 'algorithm' ? algorithmResult(response, resultContext) : subpipelineResult(response, resultContext);
    value.then(
      (result) => control.resolve(result),
      (error: unknown) => {
        const failure = error instanceof StoredReadFailure ? error : new StoredReadFailure('', error);
        control.reject(new ResultFetchError({ id, kind, target: pending.name, path: failure.path }, { cause: ensureError(failure.original) }), 'failed');
      },
    );
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function validationError(validate: () => void, timeoutMs: number | undefined): Error | undefined {
  try {
    validate();
    checkTimeout(timeoutMs);
    return undefined;
  } catch (error) {
    return ensureError(error);
  }
}
