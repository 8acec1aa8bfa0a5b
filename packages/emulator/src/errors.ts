/**
 * Failures of the emulator outside the pure engine (whose errors live in `engine/errors.ts`). Each
 * class stands for one failure and carries a stable `code` and the ids involved. Task-level failures
 * reach the job result as their `message` (HKube records a task error as a string).
 */
import { HkubeError, type HkubeErrorOptions } from '@hkube-ts/protocol';

/** Codes of the emulator's own failures. */
export type EmulatorErrorCode =
  | 'UNKNOWN_ALGORITHM'
  | 'INVALID_ALGORITHM_SOURCE'
  | 'STORED_PIPELINE_NOT_FOUND'
  | 'EMULATOR_CLOSED'
  | 'ALGORITHM_PROCESS_FAILED'
  | 'PROCESS_CONNECT_TIMEOUT'
  | 'WORKER_QUERY_INVALID'
  | 'ALGORITHM_DISCONNECTED'
  | 'WORKER_PROTOCOL_VIOLATION'
  | 'ALGORITHM_STOP_TIMEOUT'
  | 'ALGORITHM_HEARTBEAT_TIMEOUT'
  | 'TASK_RESULT_UNREADABLE'
  | 'NODE_KIND_UNSUPPORTED'
  | 'CODE_API_REQUEST_REFUSED'
  | 'DEBUGGER_ATTACH_TIMEOUT'
  | 'DEBUGGER_SEND_FAILED';

/** Base of every emulator error. */
export abstract class EmulatorError extends HkubeError {
  abstract override readonly code: EmulatorErrorCode;
}

/** A pipeline names an algorithm that is not registered. The message is HKube's (`algorithm X Not Found`). */
export class UnknownAlgorithmError extends EmulatorError {
  readonly code = 'UNKNOWN_ALGORITHM' as const;
  /** The missing algorithm. */
  readonly algorithmName: string;
  /** The node that uses it, when known. */
  readonly nodeName: string | undefined;

  constructor(algorithmName: string, nodeName?: string) {
    super(`algorithm ${algorithmName} Not Found`);
    this.algorithmName = algorithmName;
    this.nodeName = nodeName;
  }
}

/** `registerAlgorithm` was given something that is not an algorithm, a module path or a command. */
export class InvalidAlgorithmSourceError extends EmulatorError {
  readonly code = 'INVALID_ALGORITHM_SOURCE' as const;
  /** The name it was registered under. */
  readonly algorithmName: string;

  constructor(algorithmName: string, problem: string) {
    super(`algorithm "${algorithmName}": ${problem}`);
    this.algorithmName = algorithmName;
  }
}

/** A run asked for a stored pipeline that was never stored. The message is HKube's. */
export class StoredPipelineNotFoundError extends EmulatorError {
  readonly code = 'STORED_PIPELINE_NOT_FOUND' as const;
  /** The pipeline's name. */
  readonly pipelineName: string;

  constructor(pipelineName: string) {
    super(`pipeline ${pipelineName} Not Found`);
    this.pipelineName = pipelineName;
  }
}

/** The emulator was closed: no more jobs, and running ones were stopped. */
export class EmulatorClosedError extends EmulatorError {
  readonly code = 'EMULATOR_CLOSED' as const;

  constructor() {
    super('the emulator is closed');
  }
}

/** What is known about an algorithm process that failed. */
export interface ProcessFailureDetails {
  /** The algorithm it serves. */
  readonly algorithmName: string;
  /** The command line, as configured. */
  readonly command: readonly string[];
  /** Its exit code, when it exited. */
  readonly exitCode?: number | null;
  /** The signal that ended it, when one did. */
  readonly signal?: string | null;
  /** The last lines it wrote on stdout and stderr. */
  readonly output?: string;
}

function describeExit(details: ProcessFailureDetails): string {
  if (details.signal !== undefined && details.signal !== null) return `was killed by ${details.signal}`;
  if (details.exitCode !== undefined && details.exitCode !== null) return `exited with code ${details.exitCode}`;
  return 'ended';
}

/** Formats a command line for messages: `node main.js`. */
export function formatCommand(command: readonly string[]): string {
  return command.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
}

/**
 * An algorithm process could not be started, or ended when it should not have (before connecting, or
 * during a task). The message names the command and ends with the process's last output lines.
 */
export class AlgorithmProcessError extends EmulatorError {
  readonly code = 'ALGORITHM_PROCESS_FAILED' as const;
  /** The algorithm the process served. */
  readonly algorithmName: string;
  /** Its command line. */
  readonly command: readonly string[];
  /** Its exit code, when it exited. */
  readonly exitCode: number | null;
  /** The signal that ended it, when one did. */
  readonly signal: string | null;
  /** Its last output lines. */
  readonly output: string;

  /**
   * @param details - the process and how it ended.
   * @param when - what the process was doing, e.g. `before connecting` or `during task x of node "y"`.
   */
  constructor(details: ProcessFailureDetails, when: string, options: HkubeErrorOptions = {}) {
    const output = details.output?.trim() ?? '';
    const cause = options.cause instanceof Error ? `could not be started (${options.cause.message})` : describeExit(details);
    super(
      `the process of algorithm "${details.algorithmName}" (${formatCommand(details.command)}) ${cause} ${when}` +
        (output === '' ? '' : `; its last output:\n${output}`),
      options,
    );
    this.algorithmName = details.algorithmName;
    this.command = details.command;
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
    this.output = output;
  }
}

/** An algorithm process did not connect to its worker's socket in time. */
export class ProcessConnectTimeoutError extends EmulatorError {
  readonly code = 'PROCESS_CONNECT_TIMEOUT' as const;
  /** The algorithm the process serves. */
  readonly algorithmName: string;
  /** Its command line. */
  readonly command: readonly string[];
  /** How long the emulator waited. */
  readonly timeoutMs: number;

  constructor(algorithmName: string, command: readonly string[], timeoutMs: number, output = '') {
    const tail = output.trim() === '' ? '' : `; its last output:\n${output.trim()}`;
    super(
      `the process of algorithm "${algorithmName}" (${formatCommand(command)}) did not connect to its worker within ${timeoutMs} ms ` +
        `(it must dial ws://$WORKER_SOCKET_HOST:$WORKER_SOCKET_PORT)${tail}`,
    );
    this.algorithmName = algorithmName;
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

/** A wrapper connected with an `encoding` or `storage` query the worker cannot serve (HKube's worker would crash). */
export class WorkerQueryError extends EmulatorError {
  readonly code = 'WORKER_QUERY_INVALID' as const;
  /** The algorithm whose wrapper connected. */
  readonly algorithmName: string;
  /** The query parameter at fault. */
  readonly parameter: string;

  constructor(algorithmName: string, parameter: string, problem: string) {
    super(`the wrapper of algorithm "${algorithmName}" connected with an invalid '${parameter}' query parameter: ${problem}`);
    this.algorithmName = algorithmName;
    this.parameter = parameter;
  }
}

/** The connection to an algorithm closed while it had a task (and no process exit explains it). */
export class AlgorithmDisconnectedError extends EmulatorError {
  readonly code = 'ALGORITHM_DISCONNECTED' as const;
  /** The algorithm. */
  readonly algorithmName: string;
  /** The WebSocket close code. */
  readonly closeCode: number;

  constructor(algorithmName: string, closeCode: number, when: string) {
    super(`algorithm "${algorithmName}" disconnected from its worker (close code ${closeCode}) ${when}`);
    this.algorithmName = algorithmName;
    this.closeCode = closeCode;
  }
}

/** A wrapper broke the worker protocol in a way that would make HKube's worker exit. */
export class WorkerProtocolError extends EmulatorError {
  readonly code = 'WORKER_PROTOCOL_VIOLATION' as const;
  /** The algorithm whose wrapper misbehaved. */
  readonly algorithmName: string;

  constructor(algorithmName: string, problem: string, options: HkubeErrorOptions = {}) {
    super(`the wrapper of algorithm "${algorithmName}" broke the worker protocol: ${problem}`, options);
    this.algorithmName = algorithmName;
  }
}

/** An algorithm did not answer `stop` with `stopped` in time; its worker was disposed. */
export class AlgorithmStopTimeoutError extends EmulatorError {
  readonly code = 'ALGORITHM_STOP_TIMEOUT' as const;
  /** The algorithm. */
  readonly algorithmName: string;
  /** The task being stopped. */
  readonly taskId: string;

  constructor(algorithmName: string, taskId: string, timeoutMs: number) {
    super(`algorithm "${algorithmName}" did not answer stop within ${timeoutMs} ms (task ${taskId}); its worker was disposed`);
    this.algorithmName = algorithmName;
    this.taskId = taskId;
  }
}

/** A wrapper that sent `alive` heartbeats stopped sending them for longer than the worker allows. */
export class AlgorithmHeartbeatTimeoutError extends EmulatorError {
  readonly code = 'ALGORITHM_HEARTBEAT_TIMEOUT' as const;
  /** The algorithm. */
  readonly algorithmName: string;

  constructor(algorithmName: string, timeoutMs: number) {
    super(`algorithm "${algorithmName}" sent no alive heartbeat for ${timeoutMs} ms`);
    this.algorithmName = algorithmName;
  }
}

/** The result a v3 wrapper reported in `storing` could not be read back from storage. */
export class TaskResultReadError extends EmulatorError {
  readonly code = 'TASK_RESULT_UNREADABLE' as const;
  /** The task. */
  readonly taskId: string;
  /** The storage path it reported. */
  readonly path: string | undefined;

  constructor(taskId: string, path: string | undefined, options: HkubeErrorOptions = {}) {
    const why = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`the result of task ${taskId} cannot be read from storage${path === undefined ? '' : ` at ${path}`}${why}`, options);
    this.taskId = taskId;
    this.path = path;
  }
}

/** A node kind the emulator does not run yet (pipeline, data source and gateway nodes). */
export class UnsupportedNodeKindError extends EmulatorError {
  readonly code = 'NODE_KIND_UNSUPPORTED' as const;
  /** The node. */
  readonly nodeName: string;
  /** Its kind. */
  readonly kind: string;

  constructor(nodeName: string, kind: string) {
    super(`node "${nodeName}" of kind "${kind}" is not supported by the emulator yet`);
    this.nodeName = nodeName;
    this.kind = kind;
  }
}

/** A debug node's task waited longer than `debugAttachTimeoutMs` for a debugger to attach. */
export class DebuggerAttachTimeoutError extends EmulatorError {
  readonly code = 'DEBUGGER_ATTACH_TIMEOUT' as const;
  /** The debugged algorithm. */
  readonly algorithmName: string;
  /** The URL the debugger was expected at. */
  readonly url: string;
  /** How long the task waited. */
  readonly timeoutMs: number;

  constructor(algorithmName: string, url: string, timeoutMs: number) {
    super(`no debugger attached to algorithm "${algorithmName}" at ${url} within ${timeoutMs} ms`);
    this.algorithmName = algorithmName;
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The relay of a stream debug node could not send a message to its debugger (the debugger's socket
 * encoding cannot carry it): the task fails with this error.
 */
export class DebuggerSendError extends EmulatorError {
  readonly code = 'DEBUGGER_SEND_FAILED' as const;
  /** The debugged algorithm. */
  readonly algorithmName: string;
  /** The debug node. */
  readonly nodeName: string;
  /** The command that could not be sent. */
  readonly command: string;

  constructor(algorithmName: string, nodeName: string, command: string, options: HkubeErrorOptions = {}) {
    const why = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`'${command}' cannot be sent to the debugger of algorithm "${algorithmName}" (node "${nodeName}")${why}`, options);
    this.algorithmName = algorithmName;
    this.nodeName = nodeName;
    this.command = command;
  }
}
