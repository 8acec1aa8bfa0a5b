/**
 * One child process running an algorithm's command: its output (kept for messages, optionally
 * forwarded), how it ended, and ending it (a grace period, then SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { OutputTail } from './output-tail.js';

/** How a process ended. */
export interface ProcessExit {
  /** The exit code, when it exited. */
  readonly code: number | null;
  /** The signal that ended it, when one did. */
  readonly signal: NodeJS.Signals | null;
  /** Why it could not be started (e.g. `spawn python3 ENOENT`). */
  readonly error?: Error;
}

/** Options of {@link AlgorithmProcess.start}. */
export interface AlgorithmProcessOptions {
  /** The command and its arguments. */
  readonly command: readonly string[];
  /** Its working directory. */
  readonly cwd: string;
  /** Its whole environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Receives its output as it comes. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

/** How long SIGTERM is given before SIGKILL. */
const TERM_GRACE_MS = 1500;

/** A running (or ended) algorithm process. */
export class AlgorithmProcess {
  readonly #child: ChildProcess;
  readonly #tail = new OutputTail();
  #exit: ProcessExit | undefined;
  /** Resolves when the process has ended (or failed to start). Never rejects. */
  readonly exited: Promise<ProcessExit>;

  private constructor(options: AlgorithmProcessOptions) {
    const [file, ...args] = options.command;
    this.#child = spawn(file ?? '', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    this.exited = new Promise<ProcessExit>((resolve) => {
      const done = (exit: ProcessExit): void => {
        if (this.#exit !== undefined) return;
        this.#exit = exit;
        resolve(exit);
      };
      this.#child.once('error', (error) => done({ code: null, signal: null, error }));
      this.#child.once('exit', (code, signal) => done({ code, signal }));
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      this.#child[stream]?.setEncoding('utf8');
      this.#child[stream]?.on('data', (text: string) => {
        this.#tail.push(text);
        options.onOutput?.(stream, text);
      });
    }
  }

  /** Starts a process. Failing to start is reported through {@link exited}, not thrown. */
  static start(options: AlgorithmProcessOptions): AlgorithmProcess {
    return new AlgorithmProcess(options);
  }

  /** The process id (undefined when it could not be started). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** How it ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** Its last output lines. */
  output(): string {
    return this.#tail.lines();
  }

  /** Waits up to `ms` for the process to end; true when it has. */
  async waitForExit(ms: number): Promise<boolean> {
    if (this.#exit !== undefined) return true;
    if (ms <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([this.exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
    clearTimeout(timer);
    return ended;
  }

  /** Ends the process: `graceMs` to end by itself, then SIGTERM, then SIGKILL. Resolves once it is gone. */
  async terminate(graceMs: number): Promise<void> {
    if (await this.waitForExit(graceMs)) return;
    this.#child.kill('SIGTERM');
    if (await this.waitForExit(TERM_GRACE_MS)) return;
    this.#child.kill('SIGKILL');
    await this.waitForExit(TERM_GRACE_MS);
  }
}
