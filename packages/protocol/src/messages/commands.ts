/**
 * Command names exactly as they travel on the wire, for both directions.
 *
 * @module
 */

import type { AlgorithmCommand } from './algorithm-messages.js';
import type { WorkerCommand } from './worker-messages.js';

/**
 * Every W→A command name (worker or debug relay to wrapper), keyed by itself, so code can write
 * `WORKER_COMMANDS.initialize` instead of a string literal. The type check guarantees it lists
 * exactly the commands of `WorkerMessage`.
 *
 * @example
 * ```ts
 * socket.send(encode({ command: WORKER_COMMANDS.stop, data: { forceStop: false } }));
 * Object.values(WORKER_COMMANDS); // all names
 * ```
 */
export const WORKER_COMMANDS = Object.freeze({
  initialize: 'initialize',
  start: 'start',
  stop: 'stop',
  exit: 'exit',
  serviceDiscoveryUpdate: 'serviceDiscoveryUpdate',
  subPipelineStarted: 'subPipelineStarted',
  subPipelineDone: 'subPipelineDone',
  subPipelineError: 'subPipelineError',
  subPipelineStopped: 'subPipelineStopped',
  algorithmExecutionDone: 'algorithmExecutionDone',
  algorithmExecutionError: 'algorithmExecutionError',
  dataSourceResponse: 'dataSourceResponse',
  streamingInMessage: 'streamingInMessage',
  alreadyConnectedError: 'alreadyConnectedError',
} as const satisfies { readonly [C in WorkerCommand]: C });

/**
 * Every A→W command name (wrapper to worker or debug relay), keyed by itself. Includes the
 * commands only the debug relay reads (`logData`, `streamingOutMessage`, `streamingInMessageDone`).
 *
 * @example
 * ```ts
 * send({ command: ALGORITHM_COMMANDS.initialized });
 * ```
 */
export const ALGORITHM_COMMANDS = Object.freeze({
  initialized: 'initialized',
  started: 'started',
  storing: 'storing',
  done: 'done',
  errorMessage: 'errorMessage',
  stopping: 'stopping',
  stopped: 'stopped',
  progress: 'progress',
  alive: 'alive',
  servingStatus: 'servingStatus',
  streamingStatistics: 'streamingStatistics',
  dataSourceRequest: 'dataSourceRequest',
  startAlgorithmExecution: 'startAlgorithmExecution',
  stopAlgorithmExecution: 'stopAlgorithmExecution',
  startRawSubPipeline: 'startRawSubPipeline',
  startStoredSubPipeline: 'startStoredSubPipeline',
  stopSubPipeline: 'stopSubPipeline',
  startSpan: 'startSpan',
  finishSpan: 'finishSpan',
  logData: 'logData',
  streamingOutMessage: 'streamingOutMessage',
  streamingInMessageDone: 'streamingInMessageDone',
} as const satisfies { readonly [C in AlgorithmCommand]: C });

const workerCommandSet: ReadonlySet<string> = new Set(Object.values(WORKER_COMMANDS));
const algorithmCommandSet: ReadonlySet<string> = new Set(Object.values(ALGORITHM_COMMANDS));

/**
 * True when `name` is a W→A command. Safe for any string (`'__proto__'`, `'toString'` are not commands).
 *
 * @example
 * ```ts
 * if (isWorkerCommand(frame.command)) route(frame.command);
 * ```
 */
export function isWorkerCommand(name: string): name is WorkerCommand {
  return workerCommandSet.has(name);
}

/** True when `name` is an A→W command. Safe for any string. */
export function isAlgorithmCommand(name: string): name is AlgorithmCommand {
  return algorithmCommandSet.has(name);
}
