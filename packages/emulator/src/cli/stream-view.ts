/**
 * Per-edge statistics of a stream job on stderr: a table redrawn in place on a terminal (in the style
 * of the batch progress bars), one line per change otherwise (logs, CI).
 */
import type { EdgeStatistics } from '../engine/index.js';

/** Options of {@link StreamView}. */
export interface StreamViewOptions {
  /** Writes to stderr. */
  readonly write: (text: string) => void;
  /** Redraw in place (a terminal) instead of printing lines. */
  readonly tty: boolean;
}

/** `twitt → sort: 120 sent, 118 responses, 12.5 msg/s, queue 2, 1 replica`. */
export function describeEdge(edge: EdgeStatistics): string {
  const replicas = `${edge.replicas} replica${edge.replicas === 1 ? '' : 's'}`;
  const dropped = edge.dropped > 0 ? `, ${edge.dropped} dropped` : '';
  return `${edge.source} → ${edge.target}: ${edge.sent} sent, ${edge.responses} responses, ${edge.reqRate.toFixed(1)} msg/s, queue ${edge.queueSize}${dropped}, ${replicas}`;
}

/** Shows the edges of one stream job. Feed it statistics snapshots; `finish` it with the last one. */
export class StreamView {
  readonly #options: StreamViewOptions;
  #edges: readonly EdgeStatistics[] = [];
  #printed = '';
  #drawn = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: StreamViewOptions) {
    this.#options = options;
  }

  /** Records a snapshot. */
  update(edges: readonly EdgeStatistics[]): void {
    this.#edges = edges;
    if (this.#options.tty) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#draw();
      }, 80);
      return;
    }
    const line = `[hkube-ts] ${edges.map(describeEdge).join(' | ')}\n`;
    if (edges.length === 0 || line === this.#printed) return;
    this.#printed = line;
    this.#options.write(line);
  }

  /** Shows the final statistics. */
  finish(edges: readonly EdgeStatistics[]): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#edges = edges;
    if (this.#options.tty) this.#draw();
    else if (edges.length > 0) this.#options.write(`[hkube-ts] final: ${edges.map(describeEdge).join(' | ')}\n`);
  }

  #draw(): void {
    const lines = this.#edges.map(describeEdge);
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : '';
    this.#options.write(up + lines.map((line) => `\x1b[2K${line}\n`).join(''));
    this.#drawn = lines.length;
  }
}
