/**
 * Per-node progress on stderr: live bars redrawn in place on a terminal, one line per node status
 * change otherwise (logs, CI).
 */
import type { JobResult } from '../engine/index.js';
import type { TaskEvent } from '../api/job-execution.js';

/** A node's status as the view shows it. */
type NodeStatus = 'waiting' | 'pending' | 'active' | 'succeed' | 'failed' | 'stopped' | 'skipped';

class NodeProgress {
  readonly tasks = new Map<string, TaskEvent['status']>();
  printed: string | undefined;
  skipped = false;

  constructor(readonly name: string) {}

  count(status: TaskEvent['status']): number {
    let n = 0;
    for (const value of this.tasks.values()) if (value === status) n += 1;
    return n;
  }

  get status(): NodeStatus {
    if (this.skipped) return 'skipped';
    if (this.tasks.size === 0) return 'waiting';
    if (this.count('active') > 0) return 'active';
    if (this.count('pending') > 0) return 'pending';
    if (this.count('failed') > 0) return 'failed';
    if (this.count('stopped') > 0) return 'stopped';
    return 'succeed';
  }

  summary(): string {
    const total = this.tasks.size;
    const done = this.count('succeed');
    const failed = this.count('failed');
    if (total === 0) return this.status;
    return `${this.status} (${done}/${total} succeed${failed > 0 ? `, ${failed} failed` : ''})`;
  }
}

/** Options of {@link ProgressView}. */
export interface ProgressViewOptions {
  /** Node names, in pipeline order. */
  readonly nodes: readonly string[];
  /** Writes to stderr. */
  readonly write: (text: string) => void;
  /** Redraw bars in place (a terminal) instead of printing status lines. */
  readonly tty: boolean;
}

const BAR_WIDTH = 24;

/** Shows the progress of one job. Feed it task events; `finish` it with the result. */
export class ProgressView {
  readonly #options: ProgressViewOptions;
  readonly #nodes: Map<string, NodeProgress>;
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ProgressViewOptions) {
    this.#options = options;
    this.#nodes = new Map(options.nodes.map((name) => [name, new NodeProgress(name)]));
  }

  /** Records a task event. */
  onTaskEvent(event: TaskEvent): void {
    const node = this.#nodes.get(event.nodeName);
    if (node === undefined) return;
    node.tasks.set(event.taskId, event.status);
    if (this.#options.tty) this.#schedule();
    else this.#printChange(node, event.status === 'failed' ? event.error : undefined);
  }

  /** Shows the final state of every node. */
  finish(result: JobResult): void {
    if (result.status === 'completed') {
      for (const entry of result.data) if (entry.batchIndex === -1) this.#nodes.get(entry.nodeName)!.skipped = true;
    }
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#options.tty) this.#draw();
    else for (const node of this.#nodes.values()) if (node.skipped) this.#printChange(node, undefined);
  }

  #printChange(node: NodeProgress, error: string | undefined): void {
    const status = node.status;
    if (status === node.printed || status === 'waiting' || status === 'pending') return;
    node.printed = status;
    const detail = status === 'failed' && error !== undefined ? `: ${error.split('\n')[0]}` : '';
    this.#options.write(`[hkube-ts] ${node.name}: ${node.summary()}${detail}\n`);
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#draw();
    }, 80);
  }

  #draw(): void {
    const width = Math.max(...[...this.#nodes.keys()].map((name) => name.length));
    const lines = [...this.#nodes.values()].map((node) => {
      const total = node.tasks.size;
      const done = total - node.count('pending') - node.count('active');
      const filled = total === 0 ? (node.skipped ? BAR_WIDTH : 0) : Math.round((done / total) * BAR_WIDTH);
      return `${node.name.padEnd(width)} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${node.summary()}`;
    });
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : '';
    this.#options.write(up + lines.map((line) => `\x1b[2K${line}\n`).join(''));
    this.#drawn = lines.length;
  }
}
