import { HkubeError, type HkubeErrorOptions } from '@hkube-ts/protocol';

/** Codes of the failures reported by `@hkube-ts/wrapper-node` outside its data plane. */
export type WrapperErrorCode =
  | 'CONNECT_FAILED'
  | 'CONNECTION_LOST'
  | 'DEBUGGER_ALREADY_CONNECTED'
  | 'ALGORITHM_LOAD_FAILED'
  | 'INVALID_ALGORITHM'
  | 'TASK_STOPPED'
  | 'SEND_FAILED';

/** The worker could not be reached before the connect timeout or the abort signal. */
export class ConnectError extends HkubeError {
  readonly code = 'CONNECT_FAILED' as const;
  /** Where the wrapper tried to connect. */
  readonly url: string;
  /** How many attempts were made. */
  readonly attempts: number;

  constructor(url: string, attempts: number, options: HkubeErrorOptions = {}) {
    super(`could not connect to the worker at ${url} after ${attempts} attempt(s)`, options);
    this.url = url;
    this.attempts = attempts;
  }
}

/**
 * The worker closed the socket (or it broke) while the wrapper was running. A real worker treats this
 * as a crash, so the wrapper does not reconnect.
 */
export class ConnectionLostError extends HkubeError {
  readonly code = 'CONNECTION_LOST' as const;
  /** The WebSocket close code. */
  readonly closeCode: number;
  /** The close reason, possibly empty. */
  readonly reason: string;

  constructor(closeCode: number, reason: string) {
    super(`the connection to the worker closed (code ${closeCode}${reason ? `: ${reason}` : ''})`);
    this.closeCode = closeCode;
    this.reason = reason;
  }
}

/**
 * The debug relay already has a client (close 4001 after `alreadyConnectedError`, or the older 1013).
 * The wrapper stops instead of reconnecting in a loop.
 */
export class DebuggerAlreadyConnectedError extends HkubeError {
  readonly code = 'DEBUGGER_ALREADY_CONNECTED' as const;
  /** Host name of the debugger that is connected, when the relay said. */
  readonly hostname: string | undefined;

  constructor(hostname: string | undefined) {
    super(
      hostname
        ? `another debugger is already connected to this algorithm, from host '${hostname}'`
        : 'another debugger is already connected to this algorithm',
    );
    this.hostname = hostname;
  }
}

/** The algorithm module could not be found or imported. */
export class AlgorithmLoadError extends HkubeError {
  readonly code = 'ALGORITHM_LOAD_FAILED' as const;
  /** The path that was tried. */
  readonly modulePath: string;

  constructor(modulePath: string, options: HkubeErrorOptions = {}) {
    const reason = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`cannot load the algorithm module '${modulePath}'${reason}`, options);
    this.modulePath = modulePath;
  }
}

/** The algorithm module loaded but does not export a `start` function (or exports hooks of the wrong type). */
export class InvalidAlgorithmError extends HkubeError {
  readonly code = 'INVALID_ALGORITHM' as const;
  /** The path of the module, or `<object>` for an algorithm given in code. */
  readonly modulePath: string;

  constructor(modulePath: string, problem: string) {
    super(`the algorithm '${modulePath}' ${problem}`);
    this.modulePath = modulePath;
  }
}

/** The reason given to `args.signal` when the worker stops the task. */
export class TaskStoppedError extends HkubeError {
  readonly code = 'TASK_STOPPED' as const;
  /** The task that was stopped. */
  readonly taskId: string;
  /** Whether the worker asked for a forced stop. */
  readonly forceStop: boolean;

  constructor(taskId: string, forceStop: boolean) {
    super(`task ${taskId} was stopped${forceStop ? ' (forced)' : ''}`);
    this.taskId = taskId;
    this.forceStop = forceStop;
  }
}
