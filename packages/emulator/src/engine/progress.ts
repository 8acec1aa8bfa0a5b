/**
 * Progress events (§2.9 of the spec) and the `progressVerbosityLevel` filter.
 */
import type { ProgressLevel } from './descriptor.js';
import type { TaskStatus } from './task.js';

/** A job's status as progress events report it. */
export type JobStatus = 'active' | 'completed' | 'failed' | 'stopped';

/** Counts of tasks per status; statuses with no task are absent. */
export type TaskStates = Partial<Record<TaskStatus, number>>;

/** A progress event, as HKube's progress webhook posts it. */
export interface ProgressEvent {
  readonly jobId: string;
  readonly pipeline: string;
  readonly status: JobStatus;
  readonly level: ProgressLevel;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly data: {
    /** `round2(100 × (succeed + failed + skipped) / flat tasks)`. */
    readonly progress: number;
    readonly states: TaskStates;
    /** `"<progress>% completed, <n> <status>, …"`, e.g. `100% completed, 3 succeed`. */
    readonly details: string;
  };
  /** The job's error, on a failure event. */
  readonly error?: string;
  /** The failed node, on a failure event. */
  readonly nodeName?: string;
}

const LEVEL_NUMBERS: Readonly<Record<ProgressLevel, number>> = { trace: 5, debug: 4, info: 3, warning: 2, error: 1, critical: 0 };

/**
 * True when an event of `level` passes a `progressVerbosityLevel` of `verbosity` (HKube's webhook
 * filter: `info` receives info, warning, error and critical events, not debug ones).
 */
export function isProgressReported(level: ProgressLevel, verbosity: ProgressLevel): boolean {
  return LEVEL_NUMBERS[verbosity] >= LEVEL_NUMBERS[level];
}

/** Order of the statuses in `details` (the task lifecycle). */
const STATUS_ORDER: readonly TaskStatus[] = ['creating', 'preschedule', 'pending', 'active', 'succeed', 'failed', 'skipped', 'stopped'];

/**
 * Counts of the job's "flat tasks" (every task, or the node itself while it has none) per status,
 * kept up to date in O(1) per change.
 */
export class ProgressCounter {
  private readonly counts = new Map<TaskStatus, number>();
  private total = 0;

  /** Counts one more flat task in `status`. */
  add(status: TaskStatus, count = 1): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + count);
    this.total += count;
  }

  /** Forgets one flat task in `status` (a node placeholder replaced by its tasks). */
  remove(status: TaskStatus): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) - 1);
    this.total -= 1;
  }

  /** Moves one flat task from `from` to `to`. */
  move(from: TaskStatus, to: TaskStatus): void {
    this.remove(from);
    this.add(to);
  }

  /** The `data` part of a progress event. */
  snapshot(): ProgressEvent['data'] {
    const states: TaskStates = {};
    const parts: string[] = [];
    for (const status of STATUS_ORDER) {
      const count = this.counts.get(status) ?? 0;
      if (count <= 0) continue;
      states[status] = count;
      parts.push(`${count} ${status}`);
    }
    const done = (states.succeed ?? 0) + (states.failed ?? 0) + (states.skipped ?? 0);
    const progress = this.total === 0 ? 0 : Math.round((done / this.total) * 10000) / 100;
    return { progress, states, details: [`${progress}% completed`, ...parts].join(', ') };
  }
}
