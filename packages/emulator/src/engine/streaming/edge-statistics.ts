/**
 * Per-edge statistics of a stream job (pipeline-semantics §4 "Statistics", data-plane §4.5): every
 * producer task reports, per child node, cumulative counters and the durations measured since its last
 * report; the last {@link WINDOW_SIZE} reports of each (producer task, child) pair make its window, and
 * rates are Δcount/Δt over that window. An edge sums its producer tasks (replicas of the source).
 */
import type { StreamingStatisticsEntry } from '@hkube-ts/protocol';

/**
 * One entry of a producer's `streamingStatistics` report (worker-protocol §7.3): cumulative `sent`,
 * `queueSize`, `responses`, `dropped` about child `nodeName`, and the `netDurations` (handler),
 * `durations` (round trip) and `queueDurations` measured since the producer's last report, in ms.
 */
export type ProducerReport = Pick<StreamingStatisticsEntry, 'nodeName' | 'sent' | 'queueSize' | 'responses' | 'dropped' | 'netDurations' | 'durations' | 'queueDurations'>;

/** The statistics of one flow edge, as HKube's master worker computes them (a subset). */
export interface EdgeStatistics {
  /** The producing node. */
  readonly source: string;
  /** The consuming node. */
  readonly target: string;
  /** Messages the target's replicas took. */
  readonly sent: number;
  /** Messages waiting for the target. */
  readonly queueSize: number;
  /** Messages the target acknowledged. */
  readonly responses: number;
  /** Messages dropped for the target (producer memory cap). */
  readonly dropped: number;
  /** Messages per second queued for the target, over the window. */
  readonly reqRate: number;
  /** Acks per second, over the window. */
  readonly resRate: number;
  /** Mean handler time (ms) over the window; 0 before any ack. */
  readonly processingTimeMs: number;
  /** Mean send-to-ack time (ms) over the window; 0 before any ack. */
  readonly roundTripTimeMs: number;
  /** Mean time in the queue (ms) over the window; 0 when unknown. */
  readonly queueTimeMs: number;
  /** `resRate / reqRate × 100`, rounded (0 while nothing is requested). */
  readonly throughput: number;
  /** Live replicas of the target. */
  readonly replicas: number;
}

/** What the autoscaler reads about one target node, summed over every edge into it. */
export interface TargetLoad {
  readonly totalRequests: number;
  readonly totalResponses: number;
  readonly queueSize: number;
  readonly reqRate: number;
  /** `undefined` before any ack in the windows. */
  readonly roundTripMs: number | undefined;
}

/** HKube keeps the last 10 reports of each producer. */
export const WINDOW_SIZE = 10;

interface Sample {
  readonly time: number;
  readonly requests: number;
  readonly report: ProducerReport;
}

/** The reports of one producer task about one child. */
class Window {
  readonly samples: Sample[] = [];
  live = true;

  constructor(
    readonly source: string,
    readonly target: string,
  ) {}

  add(time: number, report: ProducerReport): void {
    this.samples.push({ time, requests: report.sent + report.queueSize, report });
    if (this.samples.length > WINDOW_SIZE) this.samples.shift();
  }

  get last(): ProducerReport | undefined {
    return this.samples.at(-1)?.report;
  }

  /** Δ/Δt in per-second units of a cumulative count. */
  rate(count: (sample: Sample) => number): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!this.live || first === undefined || last === undefined || last.time <= first.time) return 0;
    return Math.max(0, ((count(last) - count(first)) * 1000) / (last.time - first.time));
  }

  durations(pick: (report: ProducerReport) => readonly number[]): number[] {
    return this.live ? this.samples.flatMap((sample) => pick(sample.report)) : [];
  }
}

function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The statistics of every edge of one stream job. */
export class StreamStatistics {
  /** By producer task id, then child node. */
  readonly #windows = new Map<string, Map<string, Window>>();
  readonly #edges: readonly { readonly source: string; readonly target: string }[];

  constructor(edges: readonly { readonly source: string; readonly target: string }[]) {
    this.#edges = edges;
  }

  /**
   * Records a report of producer task `taskId` of node `source`. Entries about nodes that are not its
   * children are ignored (HKube's worker would crash on them, worker-protocol §5.10).
   */
  record(taskId: string, source: string, entries: readonly ProducerReport[], now: number): void {
    let byTarget = this.#windows.get(taskId);
    if (byTarget === undefined) {
      byTarget = new Map();
      this.#windows.set(taskId, byTarget);
    }
    for (const entry of entries) {
      if (!this.#edges.some((edge) => edge.source === source && edge.target === entry.nodeName)) continue;
      let window = byTarget.get(entry.nodeName);
      if (window === undefined) {
        window = new Window(source, entry.nodeName);
        byTarget.set(entry.nodeName, window);
      }
      window.add(now, { ...entry, sent: finite(entry.sent), queueSize: finite(entry.queueSize), responses: finite(entry.responses), dropped: finite(entry.dropped) });
    }
  }

  /** A producer task ended: its counters stay in the totals, its queue and rates no longer count. */
  producerEnded(taskId: string): void {
    for (const window of this.#windows.get(taskId)?.values() ?? []) window.live = false;
  }

  #windowsOf(source: string | undefined, target: string): Window[] {
    const found: Window[] = [];
    for (const byTarget of this.#windows.values()) {
      const window = byTarget.get(target);
      if (window !== undefined && (source === undefined || window.source === source)) found.push(window);
    }
    return found;
  }

  /** What the autoscaler needs about `target`. */
  load(target: string): TargetLoad {
    const windows = this.#windowsOf(undefined, target);
    const totals = sumWindows(windows);
    return {
      totalRequests: totals.sent + totals.queueSize,
      totalResponses: totals.responses,
      queueSize: totals.queueSize,
      reqRate: totals.reqRate,
      roundTripMs: mean(windows.flatMap((window) => window.durations((report) => report.durations))),
    };
  }

  /** The statistics of every edge, in flow order; `replicas(target)` counts a node's live replicas. */
  snapshot(replicas: (nodeName: string) => number): EdgeStatistics[] {
    return this.#edges.map(({ source, target }) => {
      const windows = this.#windowsOf(source, target);
      const { sent, queueSize, responses, dropped, reqRate, resRate } = sumWindows(windows);
      const average = (pick: (report: ProducerReport) => readonly number[]): number => round2(mean(windows.flatMap((window) => window.durations(pick))) ?? 0);
      return {
        source,
        target,
        sent,
        queueSize,
        responses,
        dropped,
        reqRate: round2(reqRate),
        resRate: round2(resRate),
        processingTimeMs: average((report) => report.netDurations),
        roundTripTimeMs: average((report) => report.durations),
        queueTimeMs: average((report) => report.queueDurations),
        throughput: reqRate > 0 ? Math.round((resRate / reqRate) * 100) : 0,
        replicas: replicas(target),
      };
    });
  }
}

/** The latest counters of `windows` summed (an ended producer's queue no longer counts) and their rates. */
function sumWindows(windows: readonly Window[]): { sent: number; queueSize: number; responses: number; dropped: number; reqRate: number; resRate: number } {
  const totals = { sent: 0, queueSize: 0, responses: 0, dropped: 0, reqRate: 0, resRate: 0 };
  for (const window of windows) {
    const last = window.last;
    if (last === undefined) continue;
    totals.sent += last.sent;
    totals.responses += last.responses;
    totals.dropped += last.dropped;
    if (window.live) totals.queueSize += last.queueSize;
    totals.reqRate += window.rate((sample) => sample.requests);
    totals.resRate += window.rate((sample) => sample.report.responses);
  }
  return totals;
}
