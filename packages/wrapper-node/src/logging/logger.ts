/** Severity of a wrapper log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Where the wrapper writes its own diagnostics. Plug your logger in through `run({ logger })`. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Parses a level name (`HKUBE_LOG_LEVEL`), defaulting to `info` for anything unknown. */
export function parseLogLevel(value: string | undefined): LogLevel {
  const level = value?.trim().toLowerCase();
  if (level === 'warning') return 'warn';
  return level !== undefined && level in ORDER ? (level as LogLevel) : 'info';
}

/**
 * A logger that writes `[hkube-wrapper] <level> <message>` lines to stderr, keeping stdout for the
 * algorithm. Lines below `level` are dropped.
 */
export function createConsoleLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const at = (name: Exclude<LogLevel, 'silent'>) => (message: string) => {
    if (ORDER[name] >= ORDER[level]) write(`[hkube-wrapper] ${name} ${message}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
