/**
 * The emulator's own diagnostics (protocol violations, workers that had to be killed). Same shape as
 * the wrapper's `Logger`, so one object can serve both.
 */
import { createConsoleLogger, type Logger, type LogLevel } from '@hkube-ts/wrapper-node';

export type { Logger, LogLevel };

/**
 * A logger writing `[hkube-ts] <level> <message>` lines (to stderr by default), dropping lines below
 * `level`: the wrapper's console logger under the emulator's name.
 *
 * @example
 * ```ts
 * const emulator = await createEmulator({ logger: createEmulatorLogger('debug') });
 * ```
 */
export function createEmulatorLogger(level: LogLevel = 'warn', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  return createConsoleLogger(level, (line) => write(line.replace(/^\[hkube-wrapper\]/, '[hkube-ts]')));
}
